// The typed model of a checked .qham file: what the engine, CLI and server consume.
import type { PauliSum } from './pauli';
import type { Span } from './span';

/** Per-qubit label of a product state: '0', '1' or '+'. Character k is qubit k. */
export interface ProductState {
  readonly name: string;
  readonly kind: 'zero' | 'neel' | 'plus' | 'bits';
  readonly labels: string;
  readonly span: Span;
}

export interface Hamiltonian {
  readonly name: string;
  readonly sum: PauliSum;
  readonly span: Span;
  /**
   * The same object across analyses while the terms (coefficients and Pauli strings) are unchanged,
   * even if the text moved: lets consumers memoise work on the terms (e.g. compile keys).
   */
  readonly content?: object;
}

export type Method = 'aqc' | 'trotter';

/** Evolve options with defaults filled in. */
export interface EvolveOptions {
  method: Method;
  layers: number | 'auto';
  order: 1 | 2;
  fidelity: number;
  bond: number;
  targetSteps: number | 'auto';
  maxiter: number;
  seed: number;
  output?: string;
}

export const DEFAULT_OPTIONS: Readonly<EvolveOptions> = Object.freeze({
  method: 'aqc',
  layers: 'auto',
  order: 2,
  fidelity: 0.99,
  bond: 64,
  targetSteps: 'auto',
  maxiter: 500,
  seed: 0,
});

export interface EvolveBlock {
  /** The `as` name, or `evolve<k>` (k = 1-based position among the file's evolve blocks). */
  readonly name: string;
  readonly index: number;
  readonly state: ProductState;
  readonly hamiltonian: Hamiltonian;
  readonly time: number;
  readonly options: EvolveOptions;
  /** Keys the user wrote (the rest are defaults). */
  readonly explicitKeys: ReadonlyArray<string>;
  readonly span: Span;
  readonly headerSpan: Span;
}

export interface Program {
  readonly qubits: number | undefined;
  readonly params: ReadonlyMap<string, number | readonly number[]>;
  readonly hamiltonians: ReadonlyMap<string, Hamiltonian>;
  readonly states: ReadonlyMap<string, ProductState>;
  /** Only blocks whose inputs are free of errors. */
  readonly evolves: ReadonlyArray<EvolveBlock>;
}
