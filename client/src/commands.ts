// The QHam commands (ids in COMMANDS). Each takes an optional BlockRef (code lenses pass `{ uri, block }`)
// or a resource Uri (editor title button); without one it works on the active .qham editor and the
// block under the cursor (the last `evolve` at or above it). Each says clearly why it cannot act.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type LanguageClient, State } from 'vscode-languageclient/node';
import {
  type BlockRef, type BlockStatus, COMMANDS, cancelRequest, compileRequest, exportRequest,
} from '../../server/src/protocol';
import type { ExportFormat } from './circuit-view/html';
import type { StatusStore } from './status-bar';

const LANG = 'qham';

export function isBlockRef(x: unknown): x is BlockRef {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r.uri === 'string' && r.uri.length > 0 && typeof r.block === 'string' && r.block.length > 0;
}

const FORMAT_INFO: Record<ExportFormat, { ext: string; label: string; filters: Record<string, string[]> }> = {
  qasm3: { ext: 'qasm', label: 'OpenQASM 3', filters: { 'OpenQASM 3': ['qasm'] } },
  qasm2: { ext: 'qasm', label: 'OpenQASM 2', filters: { 'OpenQASM 2': ['qasm'] } },
  svg: { ext: 'svg', label: 'SVG', filters: { SVG: ['svg'] } },
  json: { ext: 'json', label: 'JSON', filters: { JSON: ['json'] } },
};

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What the commands and the circuit view do; one instance per activation. */
export class QHamActions {
  constructor(private readonly client: LanguageClient, private readonly store: StatusStore) {}

  /** False (with a message) when the server is stopped; a starting server is fine (requests wait). */
  private serverUp(): boolean {
    if (this.client.state !== State.Stopped) return true;
    void vscode.window.showWarningMessage('QHam: the language server is not running.', 'Restart Server').then((pick) => {
      if (pick) void vscode.commands.executeCommand(COMMANDS.restart);
    });
    return false;
  }

  /** The .qham document an argument or the active editor points at. */
  private targetDocument(arg: unknown): { uri: vscode.Uri; editor?: vscode.TextEditor } | undefined {
    const active = vscode.window.activeTextEditor;
    if (arg instanceof vscode.Uri) {
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === arg.toString());
      return { uri: arg, editor: editor ?? (active?.document.uri.toString() === arg.toString() ? active : undefined) };
    }
    if (active && active.document.languageId === LANG) return { uri: active.document.uri, editor: active };
    void vscode.window.showInformationMessage('QHam: open a .qham file first.');
    return undefined;
  }

  /** The block an invocation means: a BlockRef argument, else the block under the cursor (asking when unclear). */
  async resolveBlock(arg: unknown, action: string): Promise<BlockRef | undefined> {
    if (isBlockRef(arg)) return { uri: arg.uri, block: arg.block };
    const target = this.targetDocument(arg);
    if (!target) return undefined;
    const uri = target.uri.toString();
    const fs = this.store.get(uri);
    if (!fs) {
      void vscode.window.showInformationMessage('QHam: this file has not been analysed yet — try again in a moment.');
      return undefined;
    }
    const blocks = [...fs.blocks].sort((a, b) => a.line - b.line);
    if (blocks.length === 0) {
      void vscode.window.showInformationMessage('QHam: there is no evolve block in this file.');
      return undefined;
    }
    if (blocks.length === 1) return { uri, block: blocks[0].block };
    const cursor = target.editor?.selection.active.line;
    if (cursor !== undefined) {
      const above = blocks.filter((b) => b.line <= cursor);
      if (above.length > 0) return { uri, block: above[above.length - 1].block };
    }
    const pick = await vscode.window.showQuickPick(
      blocks.map((b) => ({ label: b.block, description: `${b.method} · line ${b.line + 1} · ${b.state}`, block: b.block })),
      { placeHolder: `Which evolve block to ${action}?` },
    );
    return pick ? { uri, block: pick.block } : undefined;
  }

  async compile(ref: BlockRef): Promise<void> {
    const status = this.store.block(ref.uri, ref.block);
    if (status?.state === 'invalid') {
      void vscode.window.showWarningMessage(`QHam: fix the errors in the file before compiling ${ref.block}.`);
      return;
    }
    if (!this.serverUp()) return;
    try {
      const r = await this.client.sendRequest(compileRequest, { uri: ref.uri, block: ref.block });
      if (r.queued.length > 0) vscode.window.setStatusBarMessage(`QHam: compiling ${r.queued.join(', ')}…`, 3000);
      else void vscode.window.showInformationMessage(`QHam: nothing to compile — ${ref.block} is up to date.`);
    } catch (e) {
      void vscode.window.showErrorMessage(`QHam: could not compile ${ref.block}: ${errorText(e)}`);
    }
  }

  async compileAll(arg: unknown): Promise<void> {
    const target = isBlockRef(arg) ? { uri: vscode.Uri.parse(arg.uri) } : this.targetDocument(arg);
    if (!target || !this.serverUp()) return;
    const uri = target.uri.toString();
    const fs = this.store.get(uri);
    if (fs && fs.blocks.length === 0) {
      void vscode.window.showInformationMessage('QHam: there is no evolve block in this file.');
      return;
    }
    try {
      const r = await this.client.sendRequest(compileRequest, { uri });
      if (r.queued.length > 0) vscode.window.setStatusBarMessage(`QHam: compiling ${r.queued.join(', ')}…`, 3000);
      else void vscode.window.showInformationMessage('QHam: nothing to compile — every block is up to date (or has errors).');
    } catch (e) {
      void vscode.window.showErrorMessage(`QHam: could not compile: ${errorText(e)}`);
    }
  }

  /** Cancels one block (BlockRef), the active file's jobs, or every job. */
  async cancel(arg: unknown): Promise<void> {
    if (!this.serverUp()) return;
    const active = vscode.window.activeTextEditor;
    const params = isBlockRef(arg) ? { uri: arg.uri, block: arg.block }
      : arg instanceof vscode.Uri ? { uri: arg.toString() }
        : active?.document.languageId === LANG ? { uri: active.document.uri.toString() } : {};
    try {
      const r = await this.client.sendRequest(cancelRequest, params);
      const what = 'block' in params ? params.block : 'uri' in params ? 'this file' : 'any file';
      if (r.cancelled > 0) vscode.window.setStatusBarMessage(`QHam: cancelled ${r.cancelled} compilation${r.cancelled === 1 ? '' : 's'}`, 3000);
      else void vscode.window.showInformationMessage(`QHam: nothing to cancel — no compilation is running for ${what}.`);
    } catch (e) {
      void vscode.window.showErrorMessage(`QHam: could not cancel: ${errorText(e)}`);
    }
  }

  /** Whether the block has a result to export; says why not (offering to compile) when it has none. */
  private hasResult(ref: BlockRef, status: BlockStatus | undefined): boolean {
    if (!status) return true; // unknown to the client: let the server decide
    if (status.state === 'done' || status.numbers) return true;
    const why = status.state === 'running' || status.state === 'queued' ? 'it is still compiling'
      : status.state === 'failed' ? 'its compile failed'
        : status.state === 'invalid' ? 'the file has errors' : 'it has not been compiled';
    const offer = status.state === 'running' || status.state === 'queued' || status.state === 'invalid' ? [] : ['Compile'];
    void vscode.window.showInformationMessage(`QHam: ${ref.block} has no compiled result yet — ${why}.`, ...offer).then((pick) => {
      if (pick === 'Compile') void this.compile(ref);
    });
    return false;
  }

  /** Save dialog (next to the .qham file: `<file>-<block>.<ext>`), then qham/export, then "Open". */
  async exportBlock(ref: BlockRef, format: ExportFormat): Promise<void> {
    if (!this.hasResult(ref, this.store.block(ref.uri, ref.block)) || !this.serverUp()) return;
    const info = FORMAT_INFO[format];
    const source = vscode.Uri.parse(ref.uri);
    const safeBlock = ref.block.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'block';
    const base = `${path.posix.basename(source.path).replace(/\.qham$/i, '') || 'circuit'}-${safeBlock}.${info.ext}`;
    const dir = source.scheme === 'file' ? vscode.Uri.joinPath(source, '..')
      : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: dir ? vscode.Uri.joinPath(dir, base) : undefined,
      filters: info.filters,
      saveLabel: `Export ${info.label}`,
      title: `Export ${ref.block} as ${info.label}`,
    });
    if (!target) return;
    if (target.scheme !== 'file') {
      void vscode.window.showErrorMessage('QHam: exports can only be written to local files.');
      return;
    }
    try {
      const r = await this.client.sendRequest(exportRequest, { uri: ref.uri, block: ref.block, format, path: target.fsPath });
      const written = typeof r?.path === 'string' && r.path ? r.path : target.fsPath;
      const pick = await vscode.window.showInformationMessage(`QHam: exported ${ref.block} as ${info.label} to ${written}`, 'Open');
      if (pick === 'Open') await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(written));
    } catch (e) {
      void vscode.window.showErrorMessage(`QHam: could not export ${ref.block}: ${errorText(e)}`);
    }
  }
}

export interface CircuitViewOpener {
  show(ref: BlockRef): void;
}

export function registerCommands(context: vscode.ExtensionContext, actions: QHamActions, views: CircuitViewOpener, restart: () => Promise<void>): void {
  const reg = (id: string, fn: (arg: unknown) => Promise<void>) => context.subscriptions.push(
    vscode.commands.registerCommand(id, async (arg: unknown) => {
      try { await fn(arg); } catch (e) { void vscode.window.showErrorMessage(`QHam: ${errorText(e)}`); }
    }),
  );
  reg(COMMANDS.compile, async (arg) => {
    const ref = await actions.resolveBlock(arg, 'compile');
    if (ref) await actions.compile(ref);
  });
  reg(COMMANDS.compileAll, (arg) => actions.compileAll(arg));
  reg(COMMANDS.showCircuit, async (arg) => {
    const ref = await actions.resolveBlock(arg, 'show');
    if (ref) views.show(ref);
  });
  reg(COMMANDS.exportQasm3, async (arg) => {
    const ref = await actions.resolveBlock(arg, 'export');
    if (ref) await actions.exportBlock(ref, 'qasm3');
  });
  reg(COMMANDS.exportQasm2, async (arg) => {
    const ref = await actions.resolveBlock(arg, 'export');
    if (ref) await actions.exportBlock(ref, 'qasm2');
  });
  reg(COMMANDS.cancel, (arg) => actions.cancel(arg));
  reg(COMMANDS.restart, restart);
}
