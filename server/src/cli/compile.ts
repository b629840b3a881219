// `qham compile FILE`: checks the file, compiles its evolve blocks (each in a worker thread, so the
// main thread stays free to draw progress and to hear Ctrl+C), prints a result table per block and
// writes the requested exports atomically.
import { resolve as resolvePath } from 'node:path';
import { type MessagePort, Worker } from 'node:worker_threads';
import pkg from '../../../package.json';
import { TargetCache, compileBlock } from '../engine/compile/compile';
import { DEFAULT_MAX_COMPILE_MEMORY_MB, compileMemory, compileTooLargeMessage, exceedsLimit } from '../engine/compile/memory';
import { CancelledError, type CompileProgress, type CompileResult } from '../engine/compile/types';
import type { ExportHeader } from '../export/header';
import { circuitJson, toResultJson } from '../export/json';
import { toQasm2 } from '../export/qasm2';
import { toQasm3 } from '../export/qasm3';
import { type BlockResult, RESULT_FORMAT, RESULT_VERSION, type ResultDocument } from '../export/result-types';
import { toSvg } from '../export/svg';
import { writeFileAtomic } from '../export/write-atomic';
import { analyze } from '../lang/analyze';
import type { EvolveBlock } from '../model/program';
import { type ParsedArgs, UsageError } from './args';
import { checkFile, readSource } from './check';
import { useColour } from './format';
import { ProgressLine } from './progress';
import { resultTable } from './table';

export const COMPILE_FLAGS = ['--block', '--set', '--qasm', '--qasm2', '--json', '--svg', '--quiet', '--max-memory', '--help'];

export const GENERATOR = `qham ${(pkg as { version?: string }).version ?? '0.0.0'}`;

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Where the progress line goes (drawn only when it is a TTY). */
  progressStream?: NodeJS.WriteStream;
}

type Override = number | number[];

/** Exit code of a run interrupted by Ctrl+C (128 + SIGINT). */
export const EXIT_CANCELLED = 130;

// ---------------------------------------------------------------------------------------------
// Output paths

type ExportKind = 'qasm' | 'qasm2' | 'svg';
const EXPORT_FLAGS: ReadonlyArray<[ExportKind | 'json', string]> = [['qasm', '--qasm'], ['qasm2', '--qasm2'], ['svg', '--svg'], ['json', '--json']];

/** `out/circ.qasm` + `shallow` → `out/circ-shallow.qasm` (no extension: appended at the end). */
export function perBlockPath(path: string, block: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const base = path.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return `${path}-${block}`;
  const stem = path.slice(0, slash + 1 + dot);
  return `${stem}-${block}${base.slice(dot)}`;
}

function singleFlag(args: ParsedArgs, flag: string): string | undefined {
  const v = args.flags.get(flag);
  if (!v) return undefined;
  if (v.length > 1) throw new UsageError(`${flag} given more than once`);
  if (v[0].trim() === '') throw new UsageError(`${flag} needs a file name`);
  return v[0];
}

/** `--max-memory MB`: a whole number of MB ≥ 1; the language server's default without it. */
export function maxMemoryMb(args: ParsedArgs): number {
  const v = args.flags.get('--max-memory');
  if (!v) return DEFAULT_MAX_COMPILE_MEMORY_MB;
  if (v.length > 1) throw new UsageError('--max-memory given more than once');
  const raw = v[0].trim();
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--max-memory takes a whole number of MB (≥ 1), found "${v[0]}"`);
  return Number(raw);
}

/** The blocks `--block` selects (by name, or 1-based index); all blocks without it. */
export function selectBlocks(blocks: readonly EvolveBlock[], wanted: readonly string[], file: string): EvolveBlock[] {
  if (wanted.length === 0) return [...blocks];
  const chosen: EvolveBlock[] = [];
  for (const w of wanted) {
    const name = w.trim();
    let b = blocks.find((x) => x.name === name);
    if (!b && /^\d+$/.test(name)) b = blocks[Number(name) - 1];
    if (!b) {
      const list = blocks.length ? blocks.map((x, i) => `${i + 1} ${x.name}`).join(', ') : 'none';
      throw new UsageError(`--block ${name}: no evolve block "${name}" in ${file} (blocks: ${list})`);
    }
    if (!chosen.includes(b)) chosen.push(b);
  }
  return blocks.filter((b) => chosen.includes(b)); // file order
}

// ---------------------------------------------------------------------------------------------
// The compile worker

const WORKER_KIND = 'qham-compile-worker';

interface WorkerInput {
  kind: typeof WORKER_KIND;
  text: string;
  overrides: Array<[string, Override]>;
  /** Int32 flag set to 1 by the main thread to cancel. */
  stop: SharedArrayBuffer;
}

/** main → worker: compile the block at this position in program.evolves. */
interface WorkerRequest { index: number }

type WorkerMessage =
  | { type: 'progress'; progress: CompileProgress }
  | { type: 'result'; result: CompileResult }
  | { type: 'cancelled' }
  | { type: 'error'; message: string };

export function isCompileWorker(data: unknown): data is WorkerInput {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === WORKER_KIND;
}

/**
 * Body of the compile worker thread: analyse the text once, then compile the blocks the main thread
 * asks for, one at a time, posting each outcome. One worker serves the whole run, so blocks with the
 * same target (an aqc block and its trotter baseline) compute it once.
 */
export function runCompileWorker(data: WorkerInput, port: MessagePort): void {
  const stop = new Int32Array(data.stop);
  const post = (m: WorkerMessage) => port.postMessage(m);
  const targets = new TargetCache();
  let evolves: readonly EvolveBlock[] | undefined;
  port.on('message', (req: WorkerRequest) => {
    try {
      evolves ??= analyze(data.text, { overrides: new Map(data.overrides) }).program.evolves;
      const block = evolves[req.index];
      if (!block) throw new Error(`no evolve block at index ${req.index}`);
      post(compileWith(block, stop, (p) => post({ type: 'progress', progress: p }), targets));
    } catch (e) {
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
}

/** Compiles on this thread; progress reports are thinned to phase changes and ~25 a second. */
function compileWith(block: EvolveBlock, stop: Int32Array, onProgress: (p: CompileProgress) => void, targets: TargetCache): WorkerMessage {
  let last = 0;
  let phase = '';
  try {
    const result = compileBlock(block, {
      shouldStop: () => Atomics.load(stop, 0) !== 0,
      onProgress: (p) => {
        const now = performance.now();
        if (p.phase === phase && now - last < 40) return;
        phase = p.phase;
        last = now;
        onProgress(p);
      },
    }, targets);
    return { type: 'result', result };
  } catch (e) {
    if (e instanceof CancelledError || (e instanceof Error && e.name === 'CancelledError')) return { type: 'cancelled' };
    throw e;
  }
}

interface Cancel {
  stop: Int32Array;
  requested: boolean;
  /** Ends the running compile now (terminates its worker). */
  force?: () => void;
}

/** A worker can start only from the bundled CLI (dist/cli.js); from TypeScript sources, compile inline. */
const workerEntry = (): string | undefined => (typeof __filename === 'string' && __filename.endsWith('.js') ? __filename : undefined);

/**
 * Compiles the run's blocks: in one worker thread (started on first use) when running from the
 * bundle, else inline. `close` ends the worker.
 */
class CompileSession {
  private worker?: Worker;
  private pending?: { resolve: (m: WorkerMessage) => void; onProgress: (p: CompileProgress) => void };
  private readonly targets = new TargetCache();

  constructor(private readonly text: string, private readonly overrides: ReadonlyMap<string, Override>, private readonly cancel: Cancel) {}

  run(index: number, block: EvolveBlock, onProgress: (p: CompileProgress) => void): Promise<WorkerMessage> {
    const entry = workerEntry();
    if (!entry) {
      try {
        return Promise.resolve(compileWith(block, this.cancel.stop, onProgress, this.targets));
      } catch (e) {
        return Promise.resolve({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    }
    const worker = this.worker ?? this.start(entry);
    return new Promise((resolve) => {
      this.pending = { resolve, onProgress };
      const req: WorkerRequest = { index };
      worker.postMessage(req);
    });
  }

  private start(entry: string): Worker {
    const input: WorkerInput = { kind: WORKER_KIND, text: this.text, overrides: [...this.overrides], stop: this.cancel.stop.buffer as SharedArrayBuffer };
    const worker = new Worker(entry, { workerData: input });
    this.worker = worker;
    const settle = (m: WorkerMessage) => {
      const p = this.pending;
      this.pending = undefined;
      p?.resolve(m);
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') this.pending?.onProgress(m.progress);
      else settle(m);
    });
    worker.on('error', (e) => settle({ type: 'error', message: e.message }));
    worker.on('exit', (code) => {
      this.worker = undefined;
      this.cancel.force = undefined;
      settle(this.cancel.requested ? { type: 'cancelled' } : { type: 'error', message: `the compile worker stopped unexpectedly (exit code ${code})` });
    });
    this.cancel.force = () => { void worker.terminate(); };
    return worker;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

// ---------------------------------------------------------------------------------------------
// The command

interface Compiled {
  block: EvolveBlock;
  result: CompileResult;
  settings: Record<string, unknown>;
}

export async function compileCommand(args: ParsedArgs, overrides: ReadonlyMap<string, Override>, io: CliIO): Promise<number> {
  if (args.files.length !== 1) throw new UsageError(args.files.length === 0 ? 'qham compile needs a file' : 'qham compile takes one file (compile others in separate runs)');
  const file = args.files[0];
  const quiet = args.flags.has('--quiet');
  const limitMb = maxMemoryMb(args);
  const paths = new Map<ExportKind | 'json', string>();
  for (const [kind, flag] of EXPORT_FLAGS) {
    const p = singleFlag(args, flag);
    if (p !== undefined) paths.set(kind, p);
  }

  // Check first: any error stops here, printed as `qham check` prints it.
  const check = checkFile(file, overrides);
  if (check.errors > 0) {
    for (const l of check.lines) io.out(l);
    io.err(`qham: ${file}: ${check.errors} error${check.errors > 1 ? 's' : ''}; nothing compiled`);
    return 1;
  }
  for (const l of check.lines) io.err(l); // warnings: stderr, so stdout stays the result table
  const text = readSource(file);
  const all = analyze(text, { overrides }).program.evolves;
  const blocks = selectBlocks(all, args.flags.get('--block') ?? [], file);
  if (blocks.length === 0) {
    io.err(`qham: ${file} has no evolve blocks to compile`);
    return 0;
  }

  // Refuse blocks that cannot fit before any work (as the language server does, QH703).
  let refused = 0;
  for (const b of blocks) {
    const need = compileMemory(b);
    if (!exceedsLimit(need.bytes, limitMb)) continue;
    io.err(`qham: ${file}: block ${b.name}: ${compileTooLargeMessage(need, limitMb, '--max-memory MB')}`);
    refused++;
  }
  if (refused > 0) {
    io.err(`qham: ${file}: ${refused} block${refused > 1 ? 's' : ''} too large; nothing compiled`);
    return 1;
  }

  // Plan every output path now, so a clash or a path over the source fails before any work.
  const multi = blocks.length > 1;
  const plan: Array<{ kind: ExportKind | 'json'; path: string; block?: EvolveBlock }> = [];
  for (const [kind, path] of paths) {
    if (kind === 'json' || !multi) plan.push({ kind, path, block: kind === 'json' ? undefined : blocks[0] });
    else for (const b of blocks) plan.push({ kind, path: perBlockPath(path, b.name), block: b });
  }
  const seen = new Map<string, string>();
  const source = resolvePath(file);
  for (const p of plan) {
    const abs = resolvePath(p.path);
    if (abs === source) throw new UsageError(`--${p.kind} ${p.path} would overwrite the source file`);
    const other = seen.get(abs);
    if (other) throw new UsageError(`--${other} and --${p.kind} would both write ${p.path}`);
    seen.set(abs, p.kind);
  }

  // Compile, one block at a time; Ctrl+C cancels the running compile cleanly.
  const stderr = io.progressStream ?? process.stderr;
  const progress = new ProgressLine(stderr, Boolean(stderr.isTTY) && !quiet);
  const colour = useColour(process.stdout);
  const cancel: Cancel = { stop: new Int32Array(new SharedArrayBuffer(4)), requested: false };
  let graceTimer: NodeJS.Timeout | undefined;
  const onSigint = () => {
    if (cancel.requested) { cancel.force?.(); return; }
    cancel.requested = true;
    Atomics.store(cancel.stop, 0, 1);
    progress.update('cancelling… (Ctrl+C again to stop at once)');
    graceTimer = setTimeout(() => cancel.force?.(), 5000);
    graceTimer.unref();
  };
  process.on('SIGINT', onSigint);
  const compiled: Compiled[] = [];
  let failed = 0;
  const session = new CompileSession(text, overrides, cancel);
  try {
    for (const b of blocks) {
      if (cancel.requested) break;
      progress.start(`${b.name} (${b.options.method})`);
      const outcome = await session.run(all.indexOf(b), b, (p) => progress.update(p));
      progress.clear();
      if (outcome.type === 'cancelled' || cancel.requested) break;
      if (outcome.type === 'error') {
        io.err(`qham: ${file}: block ${b.name}: compile failed: ${outcome.message}`);
        failed++;
        continue;
      }
      if (outcome.type !== 'result') continue;
      if (compiled.length > 0 || failed > 0) io.out('');
      for (const l of resultTable(outcome.result, b.options, { colour })) io.out(l);
      compiled.push({ block: b, result: outcome.result, settings: { ...b.options, time: b.time } });
    }
  } finally {
    progress.clear();
    await session.close();
    process.removeListener('SIGINT', onSigint);
    if (graceTimer) clearTimeout(graceTimer);
  }
  if (cancel.requested) {
    io.err('cancelled');
    return EXIT_CANCELLED;
  }

  // Exports: atomic writes, parent directories created.
  let writeFailed = false;
  const byBlock = new Map(compiled.map((c) => [c.block, c]));
  const header = (c: Compiled): ExportHeader => ({
    source: file,
    block: c.block.name,
    method: c.result.method,
    fidelity: c.result.numbers.fidelity,
    targetError: c.result.numbers.targetError,
    settings: c.settings,
    generator: GENERATOR,
  });
  const written: string[] = [];
  for (const p of plan) {
    let text: string | undefined;
    try {
      if (p.kind === 'json') {
        if (compiled.length === 0) continue;
        const doc: ResultDocument = {
          format: RESULT_FORMAT,
          version: RESULT_VERSION,
          source: file,
          generator: GENERATOR,
          blocks: compiled.map((c): BlockResult => ({
            name: c.block.name,
            method: c.result.method,
            settings: c.settings,
            result: c.result.numbers,
            circuit: circuitJson(c.result.circuit),
          })),
        };
        text = toResultJson(doc);
      } else {
        const c = p.block && byBlock.get(p.block);
        if (!c) continue; // that block failed; already reported
        text = p.kind === 'qasm' ? toQasm3(c.result.circuit, header(c))
          : p.kind === 'qasm2' ? toQasm2(c.result.circuit, header(c))
          : toSvg(c.result.circuit, { title: c.block.name });
      }
      await writeFileAtomic(p.path, text);
      written.push(`wrote ${p.path} (${KIND_NAME[p.kind]})`);
    } catch (e) {
      io.err(`qham: ${e instanceof Error ? e.message : String(e)}`);
      writeFailed = true;
    }
  }
  if (written.length) {
    io.out('');
    for (const w of written) io.out(w);
  }

  const missed = compiled.filter((c) => !c.result.goalReached).map((c) => c.block.name);
  if (failed > 0) return 1;
  if (writeFailed) return 3;
  if (missed.length > 0) {
    io.err(`qham: goal not reached for ${missed.length === 1 ? 'block' : 'blocks'} ${missed.join(', ')}`);
    return 2;
  }
  return 0;
}

const KIND_NAME: Record<ExportKind | 'json', string> = { qasm: 'OpenQASM 3', qasm2: 'OpenQASM 2', svg: 'SVG', json: 'JSON' };
