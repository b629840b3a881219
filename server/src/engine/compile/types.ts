// What compiling one evolve block returns, and how progress is reported. Shared by the CLI, the
// language server's workers and the exports.
import type { Circuit } from '../circuit/gates';

/** How the same evolution fares as a plain Trotter circuit. */
export interface TrotterComparison {
  /** Fidelity against the target of the Trotter circuit with the same two-qubit depth. */
  sameDepthFidelity?: number;
  /** Fewest Trotter steps reaching this block's fidelity; absent when none within the search limit did. */
  stepsForSameFidelity?: number;
  /** Two-qubit depth of that Trotter circuit. */
  twoQubitDepth?: number;
  /** Trotter two-qubit depth / this circuit's two-qubit depth. */
  depthRatio?: number;
}

export interface CompileNumbers {
  /** Fidelity |⟨target|circuit⟩|² against the target state. */
  fidelity?: number;
  /** The target's own estimated infidelity (truncation plus time-step error). */
  targetError?: number;
  depth: number;
  twoQubitDepth: number;
  cxCount: number;
  /** Variational parameters (AQC). */
  parameters?: number;
  /** Optimizer iterations (AQC). */
  iterations?: number;
  /** Wall-clock compile time. */
  seconds: number;
  /** Fidelity after each optimizer iteration (AQC). */
  trace?: number[];
  trotter?: TrotterComparison;
  /** Trotter steps the circuit (trotter) or the ansatz (aqc) was built from. */
  layers?: number;
  /** Fidelity of the ansatz at its start point, the k-step Trotter circuit (AQC). */
  startFidelity?: number;
  /** Why the optimiser stopped (AQC). */
  stopReason?: string;
  /** Trotter steps of the target state. */
  targetSteps?: number;
  /** Largest bond dimension of the target. */
  targetBond?: number;
}

export interface CompileResult {
  block: string;
  method: 'aqc' | 'trotter';
  circuit: Circuit;
  numbers: CompileNumbers;
  /** fidelity ≥ the block's goal. */
  goalReached: boolean;
  /** Plain-language remarks (e.g. why the goal was missed). */
  notes: string[];
}

export type CompileProgress =
  | { phase: 'target'; message: string; steps: number; step: number }
  | { phase: 'optimize'; layers: number; iteration: number; fidelity: number; gradientNorm: number; maxIterations: number }
  | { phase: 'compare'; message: string }
  | { phase: 'trotter'; message: string; steps: number; fidelity?: number };

export interface CompileControl {
  onProgress?: (p: CompileProgress) => void;
  /** Polled often; when true the compile ends with CancelledError. */
  shouldStop?: () => boolean;
  /** Cap on `layers = auto` (aqc). */
  maxAutoLayers?: number;
}

/** Thrown by a cancelled compile (the same class TEBD throws). */
export { CancelledError } from '../tebd';
