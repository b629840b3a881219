// A pool of compile worker threads. Jobs queue when every worker is busy; a cancelled job stops at
// the engine's next check, and a worker that does not stop in time, throws out of bounds, exits or
// runs out of memory is replaced by a fresh one — the server itself never dies with it.
//
// Environment: QHAM_WORKER_HEAP_MB (a whole number of MB ≥ 16), when set, overrides the workers'
// heap limit (PoolOptions.maxHeapMb / qham.maxCompileMemoryMB). Tests use it to make a worker run
// out of memory quickly (with QHAM_WORKER_FAULT=oom); it is read from the server's own environment.
import { Worker } from 'node:worker_threads';
import type { CompileProgress, CompileResult } from '../engine/compile/types';
import type { EvolveBlock } from '../model/program';
import type { CompileJobMessage, WorkerReply } from './messages';

export type JobOutcome =
  | { kind: 'done'; result: CompileResult }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

export interface JobHandle {
  readonly id: number;
  /** Settles exactly once. */
  readonly outcome: Promise<JobOutcome>;
  cancel(): void;
}

interface Job {
  id: number;
  block: EvolveBlock;
  flag: Int32Array;
  onProgress: (p: CompileProgress) => void;
  settle: (o: JobOutcome) => void;
  settled: boolean;
  worker?: Slot;
  cancelTimer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

export interface PoolOptions {
  size: number;
  /** Path of the bundled worker script. */
  script: string;
  /** How long a cancelled job may take to stop before its worker is terminated. */
  cancelGraceMs?: number;
  /** Per-worker heap limit (MiB): an over-large compile fails instead of taking the server down. */
  maxHeapMb?: number;
  /** The environment of the workers (default: the server's). */
  env?: NodeJS.ProcessEnv;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private disposed = false;
  /** Workers started over the pool's life (tests check that a cache hit starts none). */
  started = 0;
  private heapMb: number;

  constructor(private readonly o: PoolOptions) {
    this.heapMb = heapOverride() ?? o.maxHeapMb ?? DEFAULT_HEAP_MB;
  }

  /** The heap limit (MiB) of workers started from now on (QHAM_WORKER_HEAP_MB still wins). */
  setMaxHeapMb(mb: number): void {
    this.heapMb = heapOverride() ?? mb;
  }

  get maxHeapMb(): number { return this.heapMb; }

  get size(): number { return this.o.size; }
  get busy(): number { return this.slots.filter((s) => s.job).length; }
  get queued(): number { return this.queue.length; }
  get live(): number { return this.slots.length; }

  submit(block: EvolveBlock, onProgress: (p: CompileProgress) => void = () => {}): JobHandle {
    if (this.disposed) throw new Error('worker pool disposed');
    let settle!: (o: JobOutcome) => void;
    const outcome = new Promise<JobOutcome>((r) => { settle = r; });
    const job: Job = { id: this.nextId++, block, flag: new Int32Array(new SharedArrayBuffer(4)), onProgress, settled: false, settle: (x) => { if (!job.settled) { job.settled = true; settle(x); } } };
    this.queue.push(job);
    this.pump();
    return { id: job.id, outcome, cancel: () => this.cancel(job) };
  }

  private cancel(job: Job): void {
    if (job.settled) return;
    const q = this.queue.indexOf(job);
    if (q >= 0) {
      this.queue.splice(q, 1);
      job.settle({ kind: 'cancelled' });
      return;
    }
    Atomics.store(job.flag, 0, 1);
    // Cancelled twice (an edit, then the document closed): the first grace period stands — a second
    // timer would overwrite the first one's handle, which then could never be cleared.
    if (job.cancelTimer) return;
    // The engine checks the flag between steps; a worker that does not answer in time is replaced.
    job.cancelTimer = setTimeout(() => {
      job.cancelTimer = undefined;
      if (job.settled || !job.worker) return;
      job.settle({ kind: 'cancelled' });
      this.replace(job.worker);
    }, this.o.cancelGraceMs ?? 3000);
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.o.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      job.worker = slot;
      const msg: CompileJobMessage = { type: 'compile', jobId: job.id, block: job.block, cancel: job.flag.buffer as SharedArrayBuffer };
      slot.worker.postMessage(msg);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.o.script, {
      env: this.o.env ?? process.env,
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    this.started++;
    const slot: Slot = { worker };
    const heapMb = this.heapMb;
    worker.on('message', (m: WorkerReply) => this.onReply(slot, m));
    worker.on('error', (e) => this.onDeath(slot, (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? `the compile worker ran out of memory (its heap limit is ${heapMb} MB)`
      : `the compile worker failed: ${e.message}`));
    worker.on('exit', (code) => this.onDeath(slot, `the compile worker exited (code ${code})`));
    this.slots.push(slot);
    return slot;
  }

  private onReply(slot: Slot, m: WorkerReply): void {
    const job = slot.job;
    if (!job || job.id !== m.jobId) return;
    if (m.type === 'progress') {
      if (!job.settled) job.onProgress(m.progress);
      return;
    }
    clearTimeout(job.cancelTimer);
    job.cancelTimer = undefined;
    slot.job = undefined;
    if (m.type === 'done') job.settle({ kind: 'done', result: m.result });
    else if (m.type === 'cancelled') job.settle({ kind: 'cancelled' });
    else job.settle({ kind: 'failed', message: m.message });
    this.pump();
  }

  /** A worker died (error event, exit, or out of memory): fail its job and start afresh. */
  private onDeath(slot: Slot, why: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      clearTimeout(job.cancelTimer);
      job.cancelTimer = undefined;
      job.settle(Atomics.load(job.flag, 0) === 1 ? { kind: 'cancelled' } : { kind: 'failed', message: why });
    }
    if (!this.disposed) this.pump();
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.job = undefined;
    void slot.worker.terminate();
    this.pump();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const j of this.queue.splice(0)) j.settle({ kind: 'cancelled' });
    await Promise.all(this.slots.splice(0).map((s) => {
      if (s.job) {
        // A pending grace timer would keep the process alive for up to cancelGraceMs after shutdown.
        clearTimeout(s.job.cancelTimer);
        s.job.cancelTimer = undefined;
        s.job.settle({ kind: 'cancelled' });
      }
      return s.worker.terminate();
    }));
  }
}

const DEFAULT_HEAP_MB = 4096;

/** QHAM_WORKER_HEAP_MB, when it is a whole number ≥ 16. */
function heapOverride(): number | undefined {
  const v = process.env.QHAM_WORKER_HEAP_MB;
  if (v === undefined || !/^\d+$/.test(v.trim())) return undefined;
  const mb = Number(v);
  return mb >= 16 ? mb : undefined;
}
