// The client's record of the server's `qham/fileStatus` notifications, and the status bar item that
// shows the active .qham file's compile state (click → QHam: Show Circuit).
import * as vscode from 'vscode';
import { type BlockStatus, COMMANDS, type FileStatus } from '../../server/src/protocol';

/** The latest FileStatus per document URI (as the server spells it: the client's uri.toString()). */
export class StatusStore implements vscode.Disposable {
  private readonly files = new Map<string, FileStatus>();
  private readonly emitter = new vscode.EventEmitter<FileStatus>();
  readonly onDidChange = this.emitter.event;

  update(fs: FileStatus): void {
    if (typeof fs !== 'object' || fs === null || typeof fs.uri !== 'string' || !Array.isArray(fs.blocks)) return;
    this.files.set(fs.uri, fs);
    this.emitter.fire(fs);
  }

  get(uri: string): FileStatus | undefined {
    return this.files.get(uri);
  }

  block(uri: string, block: string): BlockStatus | undefined {
    return this.files.get(uri)?.blocks.find((b) => b.block === block);
  }

  delete(uri: string): void {
    const fs = this.files.get(uri);
    if (!fs) return;
    this.files.delete(uri);
    this.emitter.fire({ uri, version: fs.version, blocks: [] });
  }

  clear(): void {
    for (const uri of [...this.files.keys()]) this.delete(uri);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

// ---------------------------------------------------------------------------------------------

export function fmtFidelity(f: number): string {
  return 1 - f < 1e-4 ? f.toFixed(7) : f.toFixed(4);
}

function fmtSeconds(s: number): string {
  return s < 0.1 ? `${Math.round(s * 1000)} ms` : s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function firstLine(s: string, max = 120): string {
  const line = s.split(/\r?\n/, 1)[0];
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** One line about one block, for the tooltip. */
export function describeBlock(b: BlockStatus): string {
  const head = `${b.block} (${b.method}, line ${b.line + 1})`;
  switch (b.state) {
    case 'done': {
      const n = b.numbers;
      if (!n) return `${head}: compiled`;
      const parts = [
        n.fidelity !== undefined ? `F ${fmtFidelity(n.fidelity)} (goal ${b.goal})` : undefined,
        `2q-depth ${n.twoQubitDepth}${n.trotter?.twoQubitDepth !== undefined ? ` (Trotter: ${n.trotter.twoQubitDepth})` : ''}`,
        `${n.cxCount} CX`,
        fmtSeconds(n.seconds),
        b.cached ? 'cached' : undefined,
      ].filter((x): x is string => x !== undefined);
      return `${head}: ${b.goalReached === false ? 'goal missed — ' : ''}${parts.join(' · ')}`;
    }
    case 'running': return `${head}: compiling${progressText(b) ? ` — ${progressText(b)}` : ''}`;
    case 'queued': return `${head}: queued`;
    case 'failed': return `${head}: failed${b.error ? ` — ${firstLine(b.error)}` : ''}`;
    case 'invalid': return `${head}: errors in the file`;
    case 'cancelled': return `${head}: cancelled`;
    default: return `${head}: not compiled`;
  }
}

function progressText(b: BlockStatus): string {
  const p = b.progress;
  if (!p) return '';
  if (p.phase === 'optimize') {
    const parts = [];
    if (p.iteration !== undefined) parts.push(`it ${p.iteration}${p.maxIterations ? `/${p.maxIterations}` : ''}`);
    if (p.fidelity !== undefined) parts.push(`F ${fmtFidelity(p.fidelity)}`);
    return parts.join(' · ') || 'optimising';
  }
  if (p.fidelity !== undefined) return `${p.phase} · F ${fmtFidelity(p.fidelity)}`;
  return firstLine(p.message || p.phase, 40);
}

export type Level = 'none' | 'ok' | 'busy' | 'warning' | 'error';

/** The status bar's text and tooltip for a file's blocks. */
export function summarize(blocks: readonly BlockStatus[] | undefined): { text: string; tooltip: string; level: Level } {
  const tail = '\n\nClick to show the circuit.';
  if (!blocks) return { text: '$(circuit-board) QHam', tooltip: 'QHam: waiting for the language server', level: 'none' };
  if (blocks.length === 0) return { text: '$(circuit-board) QHam', tooltip: 'QHam: no evolve block in this file', level: 'none' };
  const tooltip = `QHam\n${blocks.map(describeBlock).join('\n')}${tail}`;
  const of = (s: BlockStatus['state']) => blocks.filter((b) => b.state === s);
  const running = of('running'), queued = of('queued'), failed = of('failed'), invalid = of('invalid'), done = of('done');
  const more = (n: number) => (n > 1 ? ` +${n - 1}` : '');
  if (running.length > 0) {
    const b = running[0];
    const p = progressText(b);
    return { text: `$(sync~spin) QHam: compiling ${b.block}${more(running.length)}${p ? ` · ${p}` : ''}`, tooltip, level: 'busy' };
  }
  if (queued.length > 0) return { text: `$(clock) QHam: ${queued.length} queued`, tooltip, level: 'busy' };
  if (failed.length > 0) return { text: `$(error) QHam: compile failed${failed.length === 1 ? ` (${failed[0].block})` : ` (${failed.length})`}`, tooltip, level: 'error' };
  const missed = done.filter((b) => b.goalReached === false);
  if (missed.length > 0) return { text: `$(warning) QHam: goal missed${missed.length === 1 ? ` (${missed[0].block})` : ` (${missed.length})`}`, tooltip, level: 'warning' };
  if (invalid.length > 0) return { text: '$(circle-slash) QHam: fix errors to compile', tooltip, level: 'warning' };
  if (done.length > 0) return { text: `$(check) QHam: ${done.length} compiled${done.length < blocks.length ? ` of ${blocks.length}` : ''}`, tooltip, level: 'ok' };
  if (of('cancelled').length > 0) return { text: '$(debug-pause) QHam: cancelled', tooltip, level: 'none' };
  return { text: `$(circuit-board) QHam: ${blocks.length} block${blocks.length === 1 ? '' : 's'}`, tooltip, level: 'none' };
}

export class QHamStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('qham.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];
  private serverStopped = false;

  constructor(private readonly store: StatusStore) {
    this.item.name = 'QHam compile status';
    this.item.command = COMMANDS.showCircuit;
    this.subscriptions.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidOpenTextDocument(() => this.update()), // a language mode change reopens
      store.onDidChange((fs) => {
        if (fs.uri === vscode.window.activeTextEditor?.document.uri.toString()) this.update();
      }),
    );
    this.update();
  }

  setServerStopped(stopped: boolean): void {
    this.serverStopped = stopped;
    this.update();
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'qham') {
      this.item.hide();
      return;
    }
    if (this.serverStopped) {
      this.item.text = '$(error) QHam: server stopped';
      this.item.tooltip = 'The QHam language server is not running. Run "QHam: Restart Server".';
      this.item.command = COMMANDS.restart;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      this.item.show();
      return;
    }
    const s = summarize(this.store.get(doc.uri.toString())?.blocks);
    this.item.text = s.text;
    this.item.tooltip = s.tooltip; // plain text: block names from the file are not interpreted
    this.item.command = COMMANDS.showCircuit;
    this.item.backgroundColor = s.level === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : s.level === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
