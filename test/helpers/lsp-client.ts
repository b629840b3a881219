// A minimal, independent LSP client for tests and benchmarks: spawns the BUILT language server
// (`node dist/server.js --stdio`) and talks JSON-RPC to it over the child's stdio with
// vscode-languageserver-protocol. Nothing here shares code with the server.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  type CodeAction, CodeActionRequest, type CompletionItem, type CompletionList, CompletionRequest,
  type Definition, DefinitionRequest, type Diagnostic, DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, type DocumentSymbol,
  DocumentSymbolRequest, ExitNotification, type FoldingRange, FoldingRangeRequest, type Hover,
  HoverRequest, type InitializeResult, InitializeRequest, InitializedNotification, type Location,
  type LocationLink, type Position, type PrepareRenameResult, PrepareRenameRequest,
  type ProtocolConnection, PublishDiagnosticsNotification, type PublishDiagnosticsParams, type Range,
  ReferencesRequest, RenameRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
  type SymbolInformation, type TextDocumentContentChangeEvent, type WorkspaceEdit, createProtocolConnection,
} from 'vscode-languageserver-protocol/node';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SERVER_JS = join(REPO_ROOT, 'dist', 'server.js');

/** A publishDiagnostics notification with the client-side time it was received (performance.now()). */
export interface Published extends PublishDiagnosticsParams {
  receivedAt: number;
}

export interface StartOptions {
  /** Path of the bundled server; default dist/server.js. */
  serverPath?: string;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeArgs?: string[];
  cwd?: string;
}

interface Waiter {
  uri: string;
  pred: (p: Published) => boolean;
  resolve: (p: Published) => void;
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
  /** Everything the server wrote to stderr (shown when something fails). */
  stderr = '';
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  readonly exited: Promise<number | null>;
  private readonly waiters = new Set<Waiter>();
  private disposed = false;

  private constructor(readonly child: ChildProcess, readonly connection: ProtocolConnection) {
    this.exited = new Promise((res) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        live.delete(child);
        for (const w of this.waiters) {
          clearTimeout(w.timer);
          w.reject(new Error(`server exited (code ${code}, signal ${signal}) while waiting for diagnostics of ${w.uri}\n${this.stderr}`));
        }
        this.waiters.clear();
        res(code);
      });
    });
    child.stderr?.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const rec: Published = { ...p, receivedAt: performance.now() };
      this.published.push(rec);
      for (const w of this.waiters) {
        if (w.uri === p.uri && w.pred(rec)) {
          clearTimeout(w.timer);
          this.waiters.delete(w);
          w.resolve(rec);
        }
      }
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
    });
    live.add(child);
    // Writing to a dead child must not crash the test process.
    child.stdin!.on('error', () => {});
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    return new LspClient(child, connection);
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
    const init = await this.withTimeout(this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(REPO_ROOT).href,
      workspaceFolders: null,
      capabilities: {
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
    for (let i = since; i < this.published.length; i++) {
      const p = this.published[i];
      if (p.uri === uri && pred(p)) return Promise.resolve(p);
    }
    if (this.exitCode !== null || this.exitSignal !== null) return Promise.reject(new Error(`server has exited\n${this.stderr}`));
    return new Promise((res, rej) => {
      const w: Waiter = {
        uri, pred, resolve: res, reject: rej,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          const seen = this.published.filter((p) => p.uri === uri).map((p) => p.version);
          rej(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms (versions published: ${seen.join(', ') || 'none'})\n${this.stderr}`));
        }, timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  /** The diagnostics published for exactly this version of the document. */
  diagnosticsFor(uri: string, version: number, timeoutMs = 10_000, since = 0): Promise<Published> {
    return this.waitFor(uri, (p) => p.version === version, timeoutMs, since);
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
