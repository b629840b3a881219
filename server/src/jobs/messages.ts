// Messages between the server's worker pool and its worker threads (structured-clone data).
import type { CompileProgress, CompileResult } from '../engine/compile/types';
import type { EvolveBlock } from '../model/program';

export interface CompileJobMessage {
  type: 'compile';
  jobId: number;
  block: EvolveBlock;
  /** Int32Array over a SharedArrayBuffer: slot 0 becomes 1 when the job is cancelled. */
  cancel: SharedArrayBuffer;
}

export type WorkerReply =
  | { type: 'progress'; jobId: number; progress: CompileProgress }
  | { type: 'done'; jobId: number; result: CompileResult }
  | { type: 'cancelled'; jobId: number }
  | { type: 'error'; jobId: number; message: string };
