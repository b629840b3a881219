// The product-formula (Trotter) state for any Hamiltonian, on an MPS: the Trotter circuit of
// engine/trotter simulated gate by gate. For chains this equals that circuit's output exactly (up
// to truncation), which is what method = trotter reports fidelities of; longer Pauli strings and
// distant pairs go through the CX ladders and SWAPs the circuit implies.
import type { PauliSum } from '../../model/pauli';
import type { ProductState } from '../../model/program';
import { trotterCircuit } from '../trotter/circuits';
import { type Mps, type SplitProfile, applyCircuit, newTally, zeroMps } from '../mps';

export interface ProductFormulaOptions {
  bond: number;
  /** Relative discarded weight per split (default 1e-12). */
  cutoff?: number;
  profile?: SplitProfile;
}

export interface ProductFormulaResult {
  mps: Mps;
  /** Σδ of the simulation (the usual estimate of its truncation infidelity). */
  discardedWeight: number;
  /** (Σ d)², a rigorous bound on the same. */
  truncationBound: number;
  maxBond: number;
  seconds: number;
}

/** V|0…0⟩ for the `steps`-step Trotter circuit V of order 1 or 2 (state preparation and global phase included). */
export function productFormulaMps(
  h: PauliSum, state: ProductState, t: number, steps: number, order: 1 | 2, o: ProductFormulaOptions,
): ProductFormulaResult {
  const start = performance.now();
  const circuit = trotterCircuit(h, state, t, { steps, order });
  const mps = zeroMps(h.qubits);
  const tally = newTally();
  applyCircuit(mps, circuit, { maxBond: o.bond, cutoff: o.cutoff ?? 1e-12, tally, profile: o.profile });
  return {
    mps, discardedWeight: tally.discardedWeight, truncationBound: Math.min(1, tally.distance ** 2), maxBond: tally.maxBond,
    seconds: (performance.now() - start) / 1000,
  };
}
