// The versioned JSON shape of compile results (docs/result-json.md). Scripts rely on it: add
// optional fields freely, but bump RESULT_VERSION for any change that renames, removes or
// re-means a field.
import type { GateName } from '../engine/circuit/gates';
import type { Method } from '../model/program';

export const RESULT_FORMAT = 'qham-result';
export const RESULT_VERSION = 1;

export type { CompileNumbers, TrotterComparison } from '../engine/compile/types';
import type { CompileNumbers } from '../engine/compile/types';

export interface GateJson {
  name: GateName;
  qubits: number[];
  params: number[];
}

export interface CircuitJson {
  qubits: number;
  /** Radians; the state is e^{i·globalPhase} times what the gates give. */
  globalPhase: number;
  gates: GateJson[];
}

export interface BlockResult {
  name: string;
  method: Method;
  /** All options of the evolve block, defaults filled in. */
  settings: Record<string, unknown>;
  result: CompileNumbers;
  circuit: CircuitJson;
}

export interface ResultDocument {
  format: typeof RESULT_FORMAT;
  version: typeof RESULT_VERSION;
  /** The .qham file, as given (usually relative to the workspace). */
  source: string;
  /** e.g. "qham 0.1.0". */
  generator?: string;
  /** ISO 8601; left out unless given. */
  date?: string;
  blocks: BlockResult[];
}
