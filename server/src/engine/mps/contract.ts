// Contractions of two MPSs: transfer steps, overlaps, norms and local expectation values.
// Environments are matrices E[a, b] with the bra's bond index on the rows and the ket's on the
// columns, for the left (bonds left of a site) and the right (bonds right of a site) alike.
// Each transfer step is two complex GEMMs, O(χ³); nothing here changes its arguments.
import { cidentity, cmatmul, ctranspose, type CMatrix } from '../linalg';
import type { Mat2 } from '../circuit/gates';
import { applyOp2 } from './local-ops';
import type { PauliFactor } from '../../model/pauli';
import type { Complex, Mps, SiteTensor } from './mps';
import { asLeftMatrix, asRightMatrix } from './canonical';
import { PAULI_MATRICES } from './small';

/** In place on a [(x, s), y] buffer (x < outer, s ∈ {0,1}, y < inner): v_s ← Σ op[s, s'] v_s'. */
export function applyPhysicalOp(re: Float64Array, im: Float64Array, outer: number, inner: number, op: Mat2): void {
  applyOp2(re, im, re, im, outer, inner, op);
}

/**
 * E'[ra, rb] = Σ conj(bra[la, s', ra]) · op[s', s] · E[la, lb] · ket[lb, s, rb]
 * (op = identity when omitted). E is bra.left × ket.left; the result bra.right × ket.right.
 */
export function leftTransfer(E: CMatrix, bra: SiteTensor, ket: SiteTensor, op?: Mat2): CMatrix {
  const T = cmatmul(E, asRightMatrix(ket)); // [la, (s, rb)]
  if (op) applyPhysicalOp(T.re, T.im, bra.left, ket.right, op);
  return cmatmul(asLeftMatrix(bra), { rows: 2 * bra.left, cols: ket.right, re: T.re, im: T.im }, 'C', 'N');
}

/**
 * F'[la, lb] = Σ conj(bra[la, s', ra]) · op[s', s] · ket[lb, s, rb] · F[ra, rb]
 * (op = identity when omitted). F is bra.right × ket.right; the result bra.left × ket.left.
 */
export function rightTransfer(F: CMatrix, bra: SiteTensor, ket: SiteTensor, op?: Mat2): CMatrix {
  const T = cmatmul(asLeftMatrix(ket), F, 'N', 'T'); // [(lb, s), ra]
  if (op) applyPhysicalOp(T.re, T.im, ket.left, bra.right, op);
  // X[lb, la] = Σ_{s, ra} T[lb, s, ra] · conj(bra[la, s, ra]); F' = Xᵀ.
  return ctranspose(cmatmul({ rows: ket.left, cols: 2 * bra.right, re: T.re, im: T.im }, asRightMatrix(bra), 'N', 'C'));
}

/** ⟨a|b⟩, O(n·χ³). */
export function overlap(a: Mps, b: Mps): Complex {
  if (a.n !== b.n) throw new RangeError(`overlap: ${a.n} vs ${b.n} qubits`);
  let E = cidentity(1);
  for (let i = 0; i < a.n; i++) E = leftTransfer(E, a.sites[i], b.sites[i]);
  return { re: E.re[0], im: E.im[0] };
}

/** |⟨a|b⟩|² / (‖a‖²·‖b‖²): the fidelity of the two states, whatever their norms. */
export function stateFidelity(a: Mps, b: Mps): number {
  const o = overlap(a, b);
  const na = mpsNorm(a), nb = mpsNorm(b);
  return (o.re * o.re + o.im * o.im) / (na * na * nb * nb);
}

/** ‖ψ‖: the centre tensor's norm when the centre is known, else from ⟨ψ|ψ⟩. */
export function mpsNorm(mps: Mps): number {
  if (mps.center === undefined) return Math.sqrt(Math.max(0, overlap(mps, mps).re));
  const t = mps.sites[mps.center];
  let s = 0;
  for (let k = 0; k < t.re.length; k++) s += t.re[k] * t.re[k] + t.im[k] * t.im[k];
  return Math.sqrt(s);
}

/** A one-qubit operator on a qubit, for `localExpectation`. */
export interface SiteOperator { readonly qubit: number; readonly op: Mat2 }

/**
 * ⟨ψ|O_1 ⊗ O_2 ⊗ …|ψ⟩ / ⟨ψ|ψ⟩ for one-qubit operators on distinct qubits. With a known centre
 * only the sites between the operators and the centre are contracted (the orthonormal sites
 * outside contract to identities).
 */
export function localExpectation(mps: Mps, ops: readonly SiteOperator[]): Complex {
  const at = new Map<number, Mat2>();
  for (const { qubit, op } of ops) {
    if (!(Number.isInteger(qubit) && qubit >= 0 && qubit < mps.n)) throw new RangeError(`expectation: qubit ${qubit} out of range`);
    if (at.has(qubit)) throw new RangeError(`expectation: qubit ${qubit} appears twice`);
    at.set(qubit, op);
  }
  let lo = 0, hi = mps.n - 1;
  if (mps.center !== undefined) {
    lo = hi = mps.center;
    for (const q of at.keys()) { lo = Math.min(lo, q); hi = Math.max(hi, q); }
  }
  const ket = mps.sites;
  let E = cidentity(ket[lo].left), N = E;
  for (let i = lo; i <= hi; i++) {
    E = leftTransfer(E, ket[i], ket[i], at.get(i));
    N = at.size === 0 ? E : leftTransfer(N, ket[i], ket[i]);
  }
  const d = E.rows;
  let er = 0, ei = 0, nr = 0;
  for (let k = 0; k < d; k++) { er += E.re[k * d + k]; ei += E.im[k * d + k]; nr += N.re[k * d + k]; }
  return { re: er / nr, im: ei / nr };
}

/** ⟨ψ|P|ψ⟩ / ⟨ψ|ψ⟩ for a Pauli string (real: P is Hermitian). */
export function pauliExpectation(mps: Mps, factors: readonly PauliFactor[]): number {
  return localExpectation(mps, factors.map((f) => ({ qubit: f.qubit, op: PAULI_MATRICES[f.pauli] }))).re;
}

