// The QHam protocol beyond LSP: compile requests, results and progress. Declared once, typed, and
// imported by both the language server and the VS Code client (which imports nothing else from the
// server). Plain data only: everything here crosses JSON-RPC.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { CompileNumbers } from './engine/compile/types';
import type { CircuitJson } from './export/result-types';

export type { CompileNumbers } from './engine/compile/types';
export type { CircuitJson, GateJson } from './export/result-types';

/** Where a block's compilation stands. */
export type BlockState = 'idle' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'invalid';

export interface BlockRef {
  uri: string;
  /** The evolve block's name (`as` name, or evolve1, evolve2, …). */
  block: string;
}

export interface BlockProgress {
  phase: 'target' | 'optimize' | 'compare' | 'trotter';
  message: string;
  /** Optimiser iteration and its cap (optimize phase). */
  iteration?: number;
  maxIterations?: number;
  fidelity?: number;
  layers?: number;
}

/** The state of one evolve block, as the client shows it (code lens, status bar, circuit view). */
export interface BlockStatus extends BlockRef {
  state: BlockState;
  method: 'aqc' | 'trotter';
  /** 0-based line of the `evolve` keyword. */
  line: number;
  goal: number;
  progress?: BlockProgress;
  /** Present when state = done. */
  numbers?: CompileNumbers;
  goalReached?: boolean;
  notes?: string[];
  /** Present when state = failed. */
  error?: string;
  /** The result came from the cache (memory or disk), not from a new compile. */
  cached?: boolean;
  qubits: number;
}

/** server → client: the blocks of a document changed state (sent on every change and progress step). */
export interface FileStatus {
  uri: string;
  version: number;
  blocks: BlockStatus[];
}
export const fileStatusNotification = new NotificationType<FileStatus>('qham/fileStatus');

/** client → server: compile one block (or every block when `block` is omitted). Resolves when queued. */
export interface CompileParams { uri: string; block?: string }
export const compileRequest = new RequestType<CompileParams, { queued: string[] }, void>('qham/compile');

/** client → server: cancel one block's job, or every job of a file, or every job. */
export interface CancelParams { uri?: string; block?: string }
export const cancelRequest = new RequestType<CancelParams, { cancelled: number }, void>('qham/cancel');

/** client → server: everything the circuit view draws for one block. */
export interface CircuitViewData {
  status: BlockStatus;
  /** The compiled circuit (absent until compiled). */
  circuit?: CircuitJson;
  /** Standalone SVG drawing, or absent when the circuit is too large to draw. */
  svg?: string;
  /** Why `svg` is absent. */
  tooLarge?: { gates: number; limit: number };
  /** Fidelity per optimiser iteration (aqc). */
  trace?: number[];
}
export const circuitViewRequest = new RequestType<BlockRef, CircuitViewData | null, void>('qham/circuitView');

/** client → server: export a block's circuit; the server writes it (atomically) and returns the path. */
export interface ExportParams extends BlockRef {
  format: 'qasm3' | 'qasm2' | 'json' | 'svg';
  /** Absolute file path chosen by the user. */
  path: string;
}
export const exportRequest = new RequestType<ExportParams, { path: string }, void>('qham/export');

/** Diagnostics of the compile machinery (tests and benchmarks use it). */
export interface ServerStats {
  workersStarted: number;
  workersLive: number;
  busy: number;
  queued: number;
  jobsSubmitted: number;
  /** Jobs stopped before they finished (inputs changed, cancel request, document closed). */
  jobsCancelled: number;
  cacheHits: number;
}
export const serverStatsRequest = new RequestType0<ServerStats, void>('qham/stats');

/** Settings the client passes at start-up (initializationOptions) and on change (workspace/didChangeConfiguration). */
export interface ServerSettings {
  /** Compile blocks in the background while typing. */
  compileOnType: boolean;
  /** Compile changed blocks and write their `output` files on save. */
  compileOnSave: boolean;
  /** Worker threads; 0 = cores − 1 (at least 1). */
  workers: number;
  /**
   * A compile whose estimated peak memory (engine/compile/memory.ts) exceeds this many MB is refused
   * before it starts (QH703). Also the compile workers' heap limit.
   */
  maxCompileMemoryMB: number;
  /** Folder for the persistent result cache (the extension's storage folder). */
  cacheFolder?: string;
}

export const DEFAULT_SETTINGS: ServerSettings = { compileOnType: true, compileOnSave: true, workers: 0, maxCompileMemoryMB: 4096 };

/** The range qham.maxCompileMemoryMB accepts (values outside are clamped). */
export const COMPILE_MEMORY_MB_RANGE = { min: 256, max: 1_048_576 } as const;

/** Commands the code lenses invoke (registered by the client). */
export const COMMANDS = {
  compile: 'qham.compile',
  compileAll: 'qham.compileAll',
  showCircuit: 'qham.showCircuit',
  exportQasm3: 'qham.exportQasm3',
  exportQasm2: 'qham.exportQasm2',
  cancel: 'qham.cancelCompilation',
  restart: 'qham.restartServer',
} as const;
