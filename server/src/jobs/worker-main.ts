// Entry point of a compile worker thread: compiles one block at a time, posting progress, and
// stops when the shared cancel flag is raised. Faults can be injected for tests through
// QHAM_WORKER_FAULT = throw | exit | hang | oom (after the first progress report). `oom` allocates
// and keeps JS-heap memory until the worker reaches its heap limit (see QHAM_WORKER_HEAP_MB in
// pool.ts for a small limit that is reached in a moment).
import { parentPort } from 'node:worker_threads';
import { compileBlock, TargetCache, targetKey } from '../engine/compile/compile';
import type { EvolveBlock } from '../model/program';
import type { CompileJobMessage, WorkerReply } from './messages';

const port = parentPort;
if (!port) throw new Error('worker-main must run in a worker thread');
const post = (m: WorkerReply) => port.postMessage(m);
// Blocks with the same target (an aqc block and its trotter baseline) share it within this worker.
// The worker lives as long as the server, and every edit of a time, a coefficient or the state makes
// a new target (an MPS of megabytes): keep the targets of at most MAX_TARGETS keys, then start afresh,
// so a long editing session does not grow the worker's heap until it runs out of memory.
const MAX_TARGETS = 8;
let targets = new TargetCache();
const targetKeys = new Set<string>();
function targetsFor(b: EvolveBlock): TargetCache {
  const k = targetKey(b);
  if (!targetKeys.has(k)) {
    if (targetKeys.size >= MAX_TARGETS) { targets = new TargetCache(); targetKeys.clear(); }
    targetKeys.add(k);
  }
  return targets;
}
const fault = process.env.QHAM_WORKER_FAULT;

port.on('message', (m: CompileJobMessage) => {
  if (m.type !== 'compile') return;
  const flag = new Int32Array(m.cancel);
  let reported = false;
  try {
    const result = compileBlock(m.block, {
      shouldStop: () => Atomics.load(flag, 0) === 1,
      onProgress: (progress) => {
        post({ type: 'progress', jobId: m.jobId, progress });
        if (!reported && fault) {
          reported = true;
          if (fault === 'throw') throw new Error('injected fault: throw');
          if (fault === 'exit') process.exit(3);
          if (fault === 'hang') for (;;) { /* never returns: the pool must terminate this worker */ }
          if (fault === 'oom') {
            // Plain arrays of doubles live on the V8 heap (typed arrays' storage would not count
            // against maxOldGenerationSizeMb): 8 MB a step, all kept, until V8 stops the worker.
            const hoard: number[][] = [];
            for (;;) hoard.push(new Array<number>(1 << 20).fill(hoard.length + 0.5));
          }
        }
      },
    }, targetsFor(m.block));
    post({ type: 'done', jobId: m.jobId, result });
  } catch (e) {
    if ((e as Error).name === 'CancelledError') post({ type: 'cancelled', jobId: m.jobId });
    else post({ type: 'error', jobId: m.jobId, message: (e as Error).message || String(e) });
  }
});
