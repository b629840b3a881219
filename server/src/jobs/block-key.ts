// The identity of a compile job: a hash of the block's canonical inputs — the evaluated
// Hamiltonian, the state, the time and the options that change the result — never its text, so
// comments, formatting, renames and `output` paths recompile nothing.
import { createHash } from 'node:crypto';
import type { EvolveBlock } from '../model/program';
import type { PauliFactor, PauliSum } from '../model/pauli';

/** Bump when the engine changes what it computes, so stale cached results are not reused. */
export const ENGINE_VERSION = 1;

// Pauli strings are shared between analyses (the evaluation cache moves terms, not their factors),
// so their text is worth remembering: keys are computed for every block on every edit.
const stringOf = new WeakMap<readonly PauliFactor[], string>();

function pauliString(f: readonly PauliFactor[]): string {
  let s = stringOf.get(f);
  if (s === undefined) {
    s = f.map((x) => `${x.pauli}${x.qubit}`).join(' ');
    stringOf.set(f, s);
  }
  return s;
}

export function blockKey(b: EvolveBlock): string {
  const o = b.options;
  const h = createHash('sha256');
  h.update(JSON.stringify({
    v: ENGINE_VERSION,
    n: b.hamiltonian.sum.qubits,
    state: b.state.labels,
    t: b.time,
    options: { method: o.method, layers: o.layers, order: o.order, fidelity: o.fidelity, bond: o.bond, targetSteps: o.targetSteps, maxiter: o.maxiter, seed: o.seed },
  }));
  h.update(termsText(b.hamiltonian.sum, b.hamiltonian.content));
  return h.digest('hex').slice(0, 32);
}

const textOf = new WeakMap<object, string>();

/** Terms as "coeff:string;" — exact coefficients (shortest round-trip form), in the sum's order. */
function termsText(sum: PauliSum, content: object = sum): string {
  let s = textOf.get(content);
  if (s === undefined) {
    const parts: string[] = [];
    for (const t of sum.terms) parts.push(`${t.coeff}:${pauliString(t.factors)};`);
    s = parts.join('');
    textOf.set(content, s);
  }
  return s;
}
