// The identity of a compile job: a hash of the block's canonical inputs — the evaluated
// Hamiltonian, the state, the time and the options that change the result — never its text, so
// comments, formatting, renames and `output` paths recompile nothing.
import { createHash } from 'node:crypto';
import type { EvolveBlock } from '../model/program';

/** Bump when the engine changes what it computes, so stale cached results are not reused. */
export const ENGINE_VERSION = 1;

export function blockKey(b: EvolveBlock): string {
  const o = b.options;
  const canonical = {
    v: ENGINE_VERSION,
    n: b.hamiltonian.sum.qubits,
    terms: b.hamiltonian.sum.terms.map((t) => [t.coeff, t.factors.map((f) => `${f.pauli}${f.qubit}`).join(' ')]),
    state: b.state.labels,
    t: b.time,
    options: { method: o.method, layers: o.layers, order: o.order, fidelity: o.fidelity, bond: o.bond, targetSteps: o.targetSteps, maxiter: o.maxiter, seed: o.seed },
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32);
}
