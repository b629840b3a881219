// Background compilation of evolve blocks: one job per block, keyed by its canonical inputs. A job
// whose inputs change is cancelled and restarted; results are cached (memory + disk) and reused;
// progress goes out as qham/fileStatus notifications and LSP work-done progress. Knows nothing of
// VS Code: it talks to the client only through the typed protocol.
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver';
import type { Analysis } from '../lang/analyze';
import type { Diagnostic } from '../lang/diagnostics';
import { CODES } from '../lang/diagnostics';
import type { EvolveStmt } from '../lang/ast';
import type { CompileProgress, CompileResult } from '../engine/compile/types';
import { compileMemory, compileTooLargeMessage, exceedsLimit } from '../engine/compile/memory';
import type { EvolveBlock } from '../model/program';
import { blockKey } from '../jobs/block-key';
import type { JobHandle, WorkerPool } from '../jobs/pool';
import type { ResultCache } from '../jobs/result-cache';
import { type BlockProgress, type BlockStatus, type FileStatus, type ServerSettings, fileStatusNotification } from '../protocol';
import { fileURLToPath } from 'node:url';
import { LineIndex } from '../model/span';
import { qasmFor, resolveOutput, writeOutput } from './outputs';

interface BlockEntry {
  name: string;
  /** The block's input key; undefined when it has errors; null before the first analysis. */
  key: string | undefined | null;
  block: EvolveBlock | undefined;
  stmt: EvolveStmt;
  status: BlockStatus;
  job?: JobHandle;
  result?: CompileResult;
  progressReporter?: WorkDoneProgressServerReporter;
  /** Fidelity per iteration of the optimisation in progress (the circuit view plots it live). */
  liveTrace: number[];
  liveLayers?: number;
  /** Write the `output` file when the current key's result arrives (on-save). */
  writePending?: boolean;
  outputError?: string;
  /** The last start was refused: the estimated memory exceeds qham.maxCompileMemoryMB (QH703). */
  refused?: boolean;
}

interface DocState {
  uri: string;
  version: number;
  blocks: Map<string, BlockEntry>;
  debounce?: NodeJS.Timeout;
  notifyTimer?: NodeJS.Timeout;
  lastNotify: number;
}

export interface ManagerDeps {
  connection: Connection;
  pool: WorkerPool;
  cache: ResultCache;
  settings: () => ServerSettings;
  workspaceFolders: () => string[];
  /** Called when compile diagnostics of a document changed. */
  republish: (uri: string) => void;
  /** Called when code lenses should be refreshed. */
  refreshLenses: () => void;
  workDoneProgress: boolean;
}

/** Typing pauses this long before blocks recompile in the background. */
const TYPE_DEBOUNCE_MS = 800;
/** Progress notifications per document are sent at most this often. */
const NOTIFY_INTERVAL_MS = 100;

export class CompileManager {
  private readonly docs = new Map<string, DocState>();
  jobsSubmitted = 0;
  /** Jobs stopped before their outcome (inputs changed, cancel, close). */
  jobsCancelled = 0;
  cacheHits = 0;

  constructor(private readonly d: ManagerDeps) {}

  /** Set by dispose() (shutdown): the pool is going away, nothing may start or arm a timer any more. */
  private disposed = false;

  /** Syncs a document's blocks with its latest analysis. */
  update(uri: string, version: number, a: Analysis): void {
    if (this.disposed) return;
    let doc = this.docs.get(uri);
    if (!doc) this.docs.set(uri, (doc = { uri, version, blocks: new Map(), lastNotify: 0 }));
    doc.version = version;
    const seen = new Set<string>();
    const byStart = new Map(a.program.evolves.map((b) => [b.span.start, b]));
    const lines = new LineIndex(a.text);
    for (const stmt of a.ast.statements) {
      if (stmt.kind !== 'evolve') continue;
      const info = a.info.evolveOptions.get(stmt);
      if (!info) continue;
      const name = info.name;
      seen.add(name);
      const block = byStart.get(stmt.span.start);
      const key = block ? blockKey(block) : undefined;
      const line = lines.position(stmt.span.start).line;
      let e = doc.blocks.get(name);
      if (!e) {
        e = { name, key: null, block, stmt, liveTrace: [], status: { uri, block: name, state: 'idle', method: info.options.method, line, goal: info.options.fidelity, qubits: a.program.qubits ?? 0 } };
        doc.blocks.set(name, e);
      }
      e.stmt = stmt;
      e.block = block;
      e.status.line = line;
      e.status.method = info.options.method;
      e.status.goal = info.options.fidelity;
      e.status.qubits = a.program.qubits ?? 0;
      if (key === e.key) continue;
      // Inputs changed: the old job is obsolete.
      this.stopJob(e);
      e.key = key;
      e.result = undefined;
      e.writePending = false;
      e.outputError = undefined;
      e.refused = false;
      if (!key) { this.setState(e, 'invalid'); continue; }
      const hit = this.d.cache.get(key);
      if (hit) this.cacheHits++;
      if (hit) this.finish(doc, e, hit, true, false);
      else this.setState(e, 'idle');
    }
    for (const [name, e] of doc.blocks) {
      if (!seen.has(name)) { this.stopJob(e); doc.blocks.delete(name); }
    }
    if (this.d.settings().compileOnType) {
      clearTimeout(doc.debounce);
      doc.debounce = setTimeout(() => this.compileIdle(uri), TYPE_DEBOUNCE_MS);
    }
    // No republish here: update() runs inside a publish, which then adds these blocks' diagnostics.
    this.notify(doc, true);
  }

  /** Queues the named block (or every block); returns the names queued. */
  compile(uri: string, name?: string): string[] {
    if (this.disposed) return [];
    const doc = this.docs.get(uri);
    if (!doc) return [];
    const out: string[] = [];
    for (const e of doc.blocks.values()) {
      if (name !== undefined && e.name !== name) continue;
      if (this.start(doc, e)) out.push(e.name);
    }
    this.notify(doc, true);
    return out;
  }

  private compileIdle(uri: string): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    doc.debounce = undefined;
    // compileOnType may have been turned off since the debounce was armed.
    if (!this.d.settings().compileOnType) return;
    for (const e of doc.blocks.values()) if (e.status.state === 'idle') this.start(doc, e);
    this.notify(doc, true);
  }

  /** Starts a job unless the block is invalid, done for its key, or already running. */
  private start(doc: DocState, e: BlockEntry): boolean {
    if (!e.block || !e.key) return false;
    if (e.job || e.status.state === 'done') return e.status.state !== 'done';
    const hit = this.d.cache.get(e.key);
    if (hit) { this.finish(doc, e, hit, true); return false; }
    const key = e.key;
    e.status.progress = undefined;
    e.status.error = undefined;
    // Refused before any work: a compile that cannot fit would only run its worker out of memory.
    const limitMb = this.d.settings().maxCompileMemoryMB;
    const need = compileMemory(e.block);
    e.refused = exceedsLimit(need.bytes, limitMb);
    if (e.refused) {
      e.status.error = compileTooLargeMessage(need, limitMb, 'qham.maxCompileMemoryMB');
      this.setState(e, 'failed');
      this.d.republish(doc.uri);
      this.d.refreshLenses();
      return false;
    }
    e.liveTrace = [];
    e.liveLayers = undefined;
    this.setState(e, 'queued');
    // A stopped job (inputs changed, document closed) may still report until the engine sees the
    // flag: only the entry's current job may touch its status (else a closed document would get a
    // `running` fileStatus that nothing ever ends).
    const job: JobHandle = this.d.pool.submit(e.block, (p) => { if (e.job === job) this.onProgress(doc, e, key, p); });
    this.jobsSubmitted++;
    e.job = job;
    void job.outcome.then((o) => {
      if (e.job !== job) return; // superseded
      e.job = undefined;
      this.endProgress(e);
      if (o.kind === 'done') {
        this.d.cache.set(key, o.result);
        this.finish(doc, e, o.result, false);
      } else if (o.kind === 'cancelled') {
        this.setState(e, 'cancelled');
      } else {
        e.status.error = o.message;
        this.setState(e, 'failed');
        this.d.republish(doc.uri);
      }
      this.notify(doc, true);
      this.d.refreshLenses();
    });
    return true;
  }

  private onProgress(doc: DocState, e: BlockEntry, key: string, p: CompileProgress): void {
    if (e.key !== key) return;
    if (e.status.state !== 'running') {
      this.setState(e, 'running');
      this.beginProgress(e);
      this.d.refreshLenses();
    }
    e.status.progress = toBlockProgress(p);
    if (p.phase === 'optimize') {
      if (e.liveLayers !== p.layers) { e.liveTrace = []; e.liveLayers = p.layers; }
      e.liveTrace.push(p.fidelity);
    }
    const pct = p.phase === 'optimize' ? Math.min(100, Math.round((100 * p.iteration) / Math.max(1, p.maxIterations))) : undefined;
    e.progressReporter?.report(pct ?? 0, e.status.progress.message);
    this.notify(doc, false);
  }

  private finish(doc: DocState, e: BlockEntry, r: CompileResult, cached: boolean, republish = true): void {
    e.result = r;
    e.status.numbers = { ...r.numbers, trace: undefined };
    e.status.goalReached = r.goalReached;
    e.status.notes = r.notes;
    e.status.cached = cached;
    e.status.progress = undefined;
    this.setState(e, 'done');
    if (e.writePending) void this.writeFor(doc, e);
    if (republish) this.d.republish(doc.uri);
    this.d.refreshLenses();
  }

  cancel(uri?: string, name?: string): number {
    let n = 0;
    for (const doc of this.docs.values()) {
      if (uri && doc.uri !== uri) continue;
      for (const e of doc.blocks.values()) {
        if (name !== undefined && e.name !== name) continue;
        if (e.job) { this.cancelJob(e.job); n++; }
      }
    }
    return n;
  }

  /**
   * The settings changed: blocks refused for their memory are judged again against the new limit
   * (back to idle, and compiled again when compileOnType is on).
   */
  settingsChanged(): void {
    for (const doc of this.docs.values()) {
      let changed = false;
      for (const e of doc.blocks.values()) {
        if (!e.refused || e.status.state !== 'failed') continue;
        e.refused = false;
        e.status.error = undefined;
        this.setState(e, 'idle');
        changed = true;
      }
      if (!changed) continue;
      this.d.republish(doc.uri);
      if (this.d.settings().compileOnType) this.compileIdle(doc.uri);
      else this.notify(doc, true);
      this.d.refreshLenses();
    }
  }

  /** On save: compile blocks whose inputs changed and write their `output` files. */
  saved(uri: string): void {
    const doc = this.docs.get(uri);
    if (!doc || !this.d.settings().compileOnSave) return;
    for (const e of doc.blocks.values()) {
      if (!e.block) continue;
      if (e.block.options.output !== undefined) e.writePending = true;
      if (e.status.state === 'done') { if (e.writePending) void this.writeFor(doc, e); }
      else this.start(doc, e);
    }
    this.notify(doc, true);
  }

  private async writeFor(doc: DocState, e: BlockEntry): Promise<void> {
    const b = e.block, r = e.result;
    if (!b || !r || b.options.output === undefined) return;
    e.writePending = false;
    const where = resolveOutput(doc.uri, b.options.output, this.d.workspaceFolders());
    if (!where.ok) { e.outputError = where.reason; this.d.republish(doc.uri); return; }
    const docPath = doc.uri.startsWith('file:') ? fileURLToPath(doc.uri) : doc.uri;
    const w = await writeOutput(where.path, qasmFor(docPath, b, r));
    e.outputError = w.ok ? undefined : w.reason;
    this.d.republish(doc.uri);
  }

  /** Warnings and errors the compiler adds to a document: goal missed, compile failed, output refused. */
  diagnostics(uri: string): Diagnostic[] {
    const doc = this.docs.get(uri);
    if (!doc) return [];
    const out: Diagnostic[] = [];
    for (const e of doc.blocks.values()) {
      const span = e.stmt.headerSpan;
      if (e.status.state === 'done' && e.result && !e.result.goalReached) {
        out.push({ code: CODES.GoalNotReached, severity: 'warning', span, message: `The compiled circuit reaches fidelity ${e.result.numbers.fidelity?.toFixed(6)}, below the goal ${e.status.goal}.${e.result.notes.length ? ` ${e.result.notes.join('; ')}.` : ''}` });
      }
      if (e.status.state === 'failed' && e.refused) {
        out.push({ code: CODES.CompileTooLarge, severity: 'error', span, message: `Compilation refused: ${e.status.error}.` });
      } else if (e.status.state === 'failed') {
        out.push({ code: CODES.CompileFailed, severity: 'error', span, message: `Compilation failed: ${e.status.error}` });
      }
      if (e.outputError) {
        const opt = e.stmt.options.find((o) => o.key.name === 'output');
        out.push({ code: CODES.OutputRefused, severity: 'error', span: opt ? opt.value.span : span, message: `Output not written: ${e.outputError}.` });
      }
    }
    return out;
  }

  statuses(uri: string): BlockStatus[] {
    return [...(this.docs.get(uri)?.blocks.values() ?? [])].map((e) => e.status);
  }

  entry(uri: string, name: string): { status: BlockStatus; result?: CompileResult; block?: EvolveBlock; liveTrace: number[] } | undefined {
    const e = this.docs.get(uri)?.blocks.get(name);
    return e && { status: e.status, result: e.result, block: e.block, liveTrace: e.liveTrace };
  }

  close(uri: string): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    clearTimeout(doc.debounce);
    clearTimeout(doc.notifyTimer);
    for (const e of doc.blocks.values()) this.stopJob(e);
    this.docs.delete(uri);
  }

  dispose(): void {
    this.disposed = true;
    for (const uri of [...this.docs.keys()]) this.close(uri);
  }

  private stopJob(e: BlockEntry): void {
    if (e.job) { this.cancelJob(e.job); e.job = undefined; }
    this.endProgress(e);
  }

  private readonly cancelledJobs = new WeakSet<JobHandle>();

  /** Cancels a job, counting each job once however often it is cancelled. */
  private cancelJob(job: JobHandle): void {
    if (!this.cancelledJobs.has(job)) { this.cancelledJobs.add(job); this.jobsCancelled++; }
    job.cancel();
  }

  private setState(e: BlockEntry, state: BlockStatus['state']): void {
    e.status.state = state;
    if (state !== 'done') { e.status.numbers = undefined; e.status.goalReached = undefined; e.status.cached = undefined; }
  }

  private beginProgress(e: BlockEntry): void {
    if (!this.d.workDoneProgress || e.progressReporter) return;
    const job = e.job;
    void this.d.connection.window.createWorkDoneProgress().then((rep) => {
      if (e.job !== job || !job) { rep.done(); return; }
      e.progressReporter = rep;
      rep.begin(`QHam: compiling ${e.name}`, 0, 'starting', true);
      rep.token.onCancellationRequested(() => { if (e.job === job) this.cancelJob(job); });
    }, () => undefined);
  }

  private endProgress(e: BlockEntry): void {
    e.progressReporter?.done();
    e.progressReporter = undefined;
  }

  /** Sends qham/fileStatus now (state changes) or throttled (progress). */
  private notify(doc: DocState, now: boolean): void {
    const send = () => {
      doc.notifyTimer = undefined;
      doc.lastNotify = Date.now();
      const status: FileStatus = { uri: doc.uri, version: doc.version, blocks: [...doc.blocks.values()].map((e) => e.status) };
      void this.d.connection.sendNotification(fileStatusNotification, status);
    };
    if (now) { clearTimeout(doc.notifyTimer); send(); return; }
    if (doc.notifyTimer) return;
    const wait = Math.max(0, NOTIFY_INTERVAL_MS - (Date.now() - doc.lastNotify));
    doc.notifyTimer = setTimeout(send, wait);
  }
}

function toBlockProgress(p: CompileProgress): BlockProgress {
  switch (p.phase) {
    case 'optimize': return { phase: p.phase, message: `layers ${p.layers}: iteration ${p.iteration}, F ${p.fidelity.toFixed(6)}`, iteration: p.iteration, maxIterations: p.maxIterations, fidelity: p.fidelity, layers: p.layers };
    case 'target': return { phase: p.phase, message: p.message };
    case 'compare': return { phase: p.phase, message: p.message };
    case 'trotter': return { phase: p.phase, message: p.message, fidelity: p.fidelity };
  }
}

