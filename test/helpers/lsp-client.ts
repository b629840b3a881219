// A minimal, independent LSP client for tests and benchmarks: spawns the BUILT language server
// (`node dist/server.js --stdio`) and talks JSON-RPC to it over the child's stdio with
// vscode-languageserver-protocol. Nothing here shares code with the server (the QHam protocol's
// types are imported as types only; its method names are spelled out here, as a client would).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  type CodeAction, CodeActionRequest, type CodeLens, CodeLensRequest, type CompletionItem, type CompletionList, CompletionRequest,
  type Definition, DefinitionRequest, type Diagnostic, DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, DidSaveTextDocumentNotification, type DocumentSymbol,
  DocumentSymbolRequest, ExitNotification, type FoldingRange, FoldingRangeRequest, type Hover,
  HoverRequest, type InitializeResult, InitializeRequest, InitializedNotification, type Location,
  type LocationLink, type Position, type PrepareRenameResult, PrepareRenameRequest,
  type ProtocolConnection, PublishDiagnosticsNotification, type PublishDiagnosticsParams, type Range,
  ReferencesRequest, RenameRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
  type SymbolInformation, type TextDocumentContentChangeEvent, type WorkspaceEdit, createProtocolConnection,
  type ProgressToken, WorkDoneProgress, type WorkDoneProgressBegin, WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest, type WorkDoneProgressEnd, type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import type {
  BlockRef, BlockStatus, CircuitViewData, ExportParams, FileStatus, ServerSettings, ServerStats,
} from '../../server/src/protocol';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SERVER_JS = join(REPO_ROOT, 'dist', 'server.js');

/** A publishDiagnostics notification with the client-side time it was received (performance.now()). */
export interface Published extends PublishDiagnosticsParams {
  receivedAt: number;
}

/** A qham/fileStatus notification with the client-side time it was received. */
export interface ReceivedStatus extends FileStatus {
  receivedAt: number;
}

/** One `$/progress` notification of a work-done progress token the server created. */
export interface ProgressRecord {
  token: ProgressToken;
  value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;
  receivedAt: number;
}

export interface StartOptions {
  /** Path of the bundled server; default dist/server.js. */
  serverPath?: string;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeArgs?: string[];
  cwd?: string;
  /** Environment variables added to the child's (e.g. QHAM_WORKER_FAULT). */
  env?: Record<string, string>;
  /** initializationOptions (the server reads its ServerSettings from them). */
  initializationOptions?: Partial<ServerSettings>;
  /** The workspace folder (rootUri and workspaceFolders); default the repository root. */
  workspaceFolder?: string;
  /** Advertise window.workDoneProgress and answer window/workDoneProgress/create. */
  workDoneProgress?: boolean;
}

/** Names of the QHam requests and notifications beyond LSP (server/src/protocol.ts). */
export const QHAM = {
  fileStatus: 'qham/fileStatus',
  compile: 'qham/compile',
  cancel: 'qham/cancel',
  circuitView: 'qham/circuitView',
  export: 'qham/export',
  stats: 'qham/stats',
} as const;

interface Waiter<T> {
  what: string;
  match: (x: T) => boolean;
  resolve: (x: T) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
/** Last resort: never leave a server behind when the test/bench process itself goes away. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => { for (const c of live) c.kill('SIGKILL'); });
}

/** Bundles the server (and the other entry points) with `node scripts/build.mjs`; throws on failure. */
export function buildServer(): void {
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node scripts/build.mjs failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  if (!existsSync(SERVER_JS)) throw new Error(`the build did not produce ${SERVER_JS}`);
}

export function fileUri(path: string): string {
  return pathToFileURL(resolve(path)).href;
}

export class LspClient {
  readonly published: Published[] = [];
  /** Every qham/fileStatus notification, in arrival order. */
  readonly statuses: ReceivedStatus[] = [];
  /** Every `$/progress` of the work-done progress tokens the server created, in arrival order. */
  readonly progress: ProgressRecord[] = [];
  /** Tokens the server asked to create (window/workDoneProgress/create), in order. */
  readonly progressTokens: ProgressToken[] = [];
  /** Everything the server wrote to stderr (shown when something fails). */
  stderr = '';
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  readonly exited: Promise<number | null>;
  private readonly waiters = new Set<Waiter<Published>>();
  private readonly statusWaiters = new Set<Waiter<ReceivedStatus>>();
  private readonly progressWaiters = new Set<Waiter<ProgressRecord>>();
  private disposed = false;
  private readonly opts: StartOptions;

  private constructor(readonly child: ChildProcess, readonly connection: ProtocolConnection, opts: StartOptions = {}) {
    this.opts = opts;
    this.exited = new Promise((res) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        live.delete(child);
        for (const set of [this.waiters, this.statusWaiters, this.progressWaiters] as Array<Set<Waiter<unknown>>>) {
          for (const w of set) {
            clearTimeout(w.timer);
            w.reject(new Error(`server exited (code ${code}, signal ${signal}) while waiting for ${w.what}\n${this.stderr}`));
          }
          set.clear();
        }
        res(code);
      });
    });
    child.stderr?.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const rec: Published = { ...p, receivedAt: performance.now() };
      this.published.push(rec);
      settle(this.waiters, rec);
    });
    connection.onNotification(QHAM.fileStatus, (p: FileStatus) => {
      const rec: ReceivedStatus = { ...p, receivedAt: performance.now() };
      this.statuses.push(rec);
      settle(this.statusWaiters, rec);
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, (p) => {
      this.progressTokens.push(p.token);
      connection.onProgress(WorkDoneProgress.type, p.token, (value) => {
        const rec: ProgressRecord = { token: p.token, value, receivedAt: performance.now() };
        this.progress.push(rec);
        settle(this.progressWaiters, rec);
      });
      return null;
    });
    connection.onError(() => { /* surfaces through requests / exit */ });
    connection.listen();
  }

  /** Spawns `node <server> --stdio`. Throws if the bundle does not exist (build it first). */
  static spawn(opts: StartOptions = {}): LspClient {
    const server = opts.serverPath ?? SERVER_JS;
    if (!existsSync(server)) throw new Error(`${server} does not exist: run \`node scripts/build.mjs\` first`);
    installExitHook();
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), server, '--stdio'], {
      cwd: opts.cwd ?? REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
    });
    live.add(child);
    // Writing to a dead child must not crash the test process.
    child.stdin!.on('error', () => {});
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    return new LspClient(child, connection, opts);
  }

  /** Spawns and performs initialize + initialized. */
  static async start(opts: StartOptions = {}): Promise<{ client: LspClient; init: InitializeResult }> {
    const client = LspClient.spawn(opts);
    try {
      const init = await client.initialize();
      return { client, init };
    } catch (e) {
      await client.dispose();
      throw e;
    }
  }

  async initialize(): Promise<InitializeResult> {
    const root = this.opts.workspaceFolder;
    const init = await this.withTimeout(this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root ?? REPO_ROOT).href,
      workspaceFolders: root ? [{ uri: pathToFileURL(root).href, name: 'workspace' }] : null,
      initializationOptions: this.opts.initializationOptions,
      capabilities: {
        ...(this.opts.workDoneProgress ? { window: { workDoneProgress: true } } : {}),
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true } },
          rename: { prepareSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        },
      },
    }), 10_000, 'initialize');
    await this.connection.sendNotification(InitializedNotification.type, {});
    return init;
  }

  // ---- documents --------------------------------------------------------------------------------

  open(uri: string, text: string, version = 1, languageId = 'qham'): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /**
   * Resolves with the first publishDiagnostics for `uri` that satisfies `pred`, looking first at
   * what was already received (from index `since` of `published`), then at what comes next.
   */
  waitFor(uri: string, pred: (p: Published) => boolean, timeoutMs = 10_000, since = 0): Promise<Published> {
    return this.waitIn(this.published, this.waiters, (p) => p.uri === uri && pred(p), since, timeoutMs, `diagnostics of ${uri}`,
      () => `versions published: ${this.published.filter((p) => p.uri === uri).map((p) => p.version).join(', ') || 'none'}`);
  }

  /**
   * Resolves with the first qham/fileStatus for `uri` that satisfies `pred`, looking first at what
   * was already received (from index `since` of `statuses`), then at what comes next.
   */
  waitForStatus(uri: string, pred: (s: ReceivedStatus) => boolean, timeoutMs = 10_000, since = 0): Promise<ReceivedStatus> {
    return this.waitIn(this.statuses, this.statusWaiters, (s) => s.uri === uri && pred(s), since, timeoutMs, `qham/fileStatus of ${uri}`,
      () => 'last received: ' + this.statuses.filter((s) => s.uri === uri).slice(-6).map((s) => s.blocks.map((b) => `${b.block}:${b.state}`).join(',')).join(' | '));
  }

  /** Waits for a qham/fileStatus in which block `block` satisfies `pred`; resolves with that block's status. */
  async waitForBlock(uri: string, block: string, pred: (b: BlockStatus) => boolean, timeoutMs = 10_000, since = 0): Promise<BlockStatus> {
    const s = await this.waitForStatus(uri, (f) => f.blocks.some((b) => b.block === block && pred(b)), timeoutMs, since);
    return s.blocks.find((b) => b.block === block && pred(b))!;
  }

  /** The block's state in the latest qham/fileStatus received for `uri`. */
  lastBlock(uri: string, block: string): BlockStatus | undefined {
    for (let i = this.statuses.length - 1; i >= 0; i--) {
      const s = this.statuses[i];
      if (s.uri === uri) return s.blocks.find((b) => b.block === block);
    }
    return undefined;
  }

  /** Resolves with the first `$/progress` (from index `since` of `progress`) that satisfies `pred`. */
  waitForProgress(pred: (p: ProgressRecord) => boolean, timeoutMs = 10_000, since = 0): Promise<ProgressRecord> {
    return this.waitIn(this.progress, this.progressWaiters, pred, since, timeoutMs, '$/progress',
      () => 'last received: ' + this.progress.slice(-6).map((p) => `${String(p.token)}:${p.value.kind}`).join(', '));
  }

  private waitIn<T>(seen: readonly T[], waiters: Set<Waiter<T>>, match: (x: T) => boolean, since: number, timeoutMs: number, what: string, describe: () => string): Promise<T> {
    for (let i = since; i < seen.length; i++) if (match(seen[i])) return Promise.resolve(seen[i]);
    if (this.exitCode !== null || this.exitSignal !== null) return Promise.reject(new Error(`server has exited\n${this.stderr}`));
    return new Promise((res, rej) => {
      const w: Waiter<T> = {
        what, match, resolve: res, reject: rej,
        timer: setTimeout(() => {
          waiters.delete(w);
          rej(new Error(`no matching ${what} within ${timeoutMs} ms (${describe() || 'none received'})\n${this.stderr}`));
        }, timeoutMs),
      };
      waiters.add(w);
    });
  }

  /** The diagnostics published for exactly this version of the document. */
  diagnosticsFor(uri: string, version: number, timeoutMs = 10_000, since = 0): Promise<Published> {
    return this.waitFor(uri, (p) => p.version === version, timeoutMs, since);
  }

  save(uri: string): Promise<void> {
    return this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Opens a document and waits for its first diagnostics. */
  async openAndWait(uri: string, text: string, version = 1, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const since = this.published.length;
    const wait = this.diagnosticsFor(uri, version, timeoutMs, since);
    await this.open(uri, text, version);
    return (await wait).diagnostics;
  }

  // ---- requests ---------------------------------------------------------------------------------

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  completion(uri: string, position: Position): Promise<CompletionItem[] | CompletionList | null> {
    return this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
  }

  definition(uri: string, position: Position): Promise<Definition | LocationLink[] | null> {
    return this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
  }

  references(uri: string, position: Position, includeDeclaration = true): Promise<Location[] | null> {
    return this.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration } });
  }

  prepareRename(uri: string, position: Position): Promise<PrepareRenameResult | null> {
    return this.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position });
  }

  rename(uri: string, position: Position, newName: string): Promise<WorkspaceEdit | null> {
    return this.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName });
  }

  documentSymbols(uri: string): Promise<DocumentSymbol[] | SymbolInformation[] | null> {
    return this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
  }

  foldingRanges(uri: string): Promise<FoldingRange[] | null> {
    return this.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<Array<CodeAction | { title: string; command: string }> | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
  }

  codeLenses(uri: string): Promise<CodeLens[] | null> {
    return this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  }

  // ---- the QHam protocol beyond LSP -------------------------------------------------------------

  compile(uri: string, block?: string): Promise<{ queued: string[] }> {
    return this.connection.sendRequest(QHAM.compile, { uri, block });
  }

  cancel(params: { uri?: string; block?: string } = {}): Promise<{ cancelled: number }> {
    return this.connection.sendRequest(QHAM.cancel, params);
  }

  stats(): Promise<ServerStats> {
    return this.connection.sendRequest(QHAM.stats);
  }

  circuitView(ref: BlockRef): Promise<CircuitViewData | null> {
    return this.connection.sendRequest(QHAM.circuitView, ref);
  }

  exportBlock(params: ExportParams): Promise<{ path: string }> {
    return this.connection.sendRequest(QHAM.export, params);
  }

  /** The user cancels a work-done progress (window/workDoneProgress/cancel). */
  cancelProgress(token: ProgressToken): Promise<void> {
    return this.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token });
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  /** shutdown request + exit notification; resolves with the process's exit code. */
  async shutdown(timeoutMs = 5_000): Promise<number | null> {
    await this.withTimeout(this.connection.sendRequest(ShutdownRequest.type), timeoutMs, 'shutdown');
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.withTimeout(this.exited, timeoutMs, 'exit after the exit notification');
    this.connection.dispose();
    this.disposed = true;
    return code;
  }

  /** Idempotent cleanup: kills the child if it is still running (use in `after`/`finally`). */
  async dispose(): Promise<void> {
    if (!this.disposed) {
      this.disposed = true;
      try { this.connection.dispose(); } catch { /* already gone */ }
    }
    if (this.exitCode === null && this.exitSignal === null) {
      this.child.kill('SIGKILL');
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, 2_000))]);
    }
  }

  private withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`${what} timed out after ${ms} ms\n${this.stderr}`)), ms); });
    return Promise.race([p, t]).finally(() => clearTimeout(timer));
  }
}

function settle<T>(waiters: Set<Waiter<T>>, x: T): void {
  for (const w of waiters) {
    if (w.match(x)) {
      clearTimeout(w.timer);
      waiters.delete(w);
      w.resolve(x);
    }
  }
}

// ---- text helpers shared by the tests and the benchmark ---------------------------------------------

/** Line/character of the `occurrence`-th (0-based) match of `needle` in `text` (+ `delta` characters). */
export function positionOf(text: string, needle: string, occurrence = 0, delta = 0): Position {
  let at = -1;
  for (let k = 0; k <= occurrence; k++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`\`${needle}\` occurrence ${occurrence} not found`);
  }
  return offsetToPosition(text, at + delta);
}

export function offsetToPosition(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  return { line, character: offset - lineStart };
}

/** The range of the `occurrence`-th match of `needle`. */
export function rangeOf(text: string, needle: string, occurrence = 0): Range {
  const start = positionOf(text, needle, occurrence);
  const end = positionOf(text, needle, occurrence, needle.length);
  return { start, end };
}

/** Applies LSP incremental changes to a string (for checking what the server should see). */
export function applyChanges(text: string, changes: TextDocumentContentChangeEvent[]): string {
  for (const c of changes) {
    if (!('range' in c) || !c.range) { text = c.text; continue; }
    const lines = text.split('\n');
    const off = (p: Position) => lines.slice(0, p.line).reduce((s, l) => s + l.length + 1, 0) + p.character;
    text = text.slice(0, off(c.range.start)) + c.text + text.slice(off(c.range.end));
  }
  return text;
}
