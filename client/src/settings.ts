// The server's settings, read from VS Code's `qham.*` configuration. Sent as initializationOptions
// at start-up; later changes reach the server through `synchronize.configurationSection: 'qham'`
// (workspace/didChangeConfiguration with `{ qham: { compileOnType, compileOnSave, workers, maxCompileMemoryMB, trace } }`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMPILE_MEMORY_MB_RANGE, DEFAULT_SETTINGS, type ServerSettings } from '../../server/src/protocol';

export const SECTION = 'qham';

/** Worker count: a non-negative integer (0 = cores − 1), at most 64 (the server's cap). */
function workers(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? Math.min(v, 64) : DEFAULT_SETTINGS.workers;
}

const bool = (v: unknown, dflt: boolean) => (typeof v === 'boolean' ? v : dflt);

/** Compile memory limit (MB): a number, clamped to the range the server accepts. */
function memoryMb(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DEFAULT_SETTINGS.maxCompileMemoryMB;
  return Math.min(COMPILE_MEMORY_MB_RANGE.max, Math.max(COMPILE_MEMORY_MB_RANGE.min, Math.round(v)));
}

/** The settings from the configuration, plus the cache folder (created here, under the extension's global storage). */
export function readServerSettings(context: vscode.ExtensionContext, log?: (msg: string) => void): ServerSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const settings: ServerSettings = {
    compileOnType: bool(c.get('compileOnType'), DEFAULT_SETTINGS.compileOnType),
    compileOnSave: bool(c.get('compileOnSave'), DEFAULT_SETTINGS.compileOnSave),
    workers: workers(c.get('workers')),
    maxCompileMemoryMB: memoryMb(c.get('maxCompileMemoryMB')),
  };
  const cacheFolder = path.join(context.globalStorageUri.fsPath, 'results');
  try {
    fs.mkdirSync(cacheFolder, { recursive: true });
    settings.cacheFolder = cacheFolder;
  } catch (e) {
    log?.(`QHam: cannot create the result cache folder ${cacheFolder}: ${(e as Error).message}; results are cached in memory only`);
  }
  return settings;
}

/** The worker pool is sized at start-up: offer a restart when `qham.workers` changes. */
export function offerRestartOnWorkersChange(restart: () => Promise<void>): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(async (e) => {
    if (!e.affectsConfiguration(`${SECTION}.workers`)) return;
    const pick = await vscode.window.showInformationMessage('QHam: the number of workers changes when the language server restarts.', 'Restart Server');
    if (!pick) return;
    try { await restart(); } catch (err) { void vscode.window.showErrorMessage(`QHam: ${(err as Error).message}`); }
  });
}
