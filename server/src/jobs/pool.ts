// A pool of compile worker threads. Jobs queue when every worker is busy; a cancelled job stops at
// the engine's next check, and a worker that does not stop in time, throws out of bounds, exits or
// runs out of memory is replaced by a fresh one — the server itself never dies with it.
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
  env?: NodeJS.ProcessEnv;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private disposed = false;
  /** Workers started over the pool's life (tests check that a cache hit starts none). */
  started = 0;

  constructor(private readonly o: PoolOptions) {}

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
    // The engine checks the flag between steps; a worker that does not answer in time is replaced.
    job.cancelTimer = setTimeout(() => {
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
      resourceLimits: { maxOldGenerationSizeMb: this.o.maxHeapMb ?? 4096 },
    });
    this.started++;
    const slot: Slot = { worker };
    worker.on('message', (m: WorkerReply) => this.onReply(slot, m));
    worker.on('error', (e) => this.onDeath(slot, `the compile worker failed: ${e.message}`));
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
      if (s.job) s.job.settle({ kind: 'cancelled' });
      return s.worker.terminate();
    }));
  }
}
