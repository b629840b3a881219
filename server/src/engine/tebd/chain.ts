// A nearest-neighbour Hamiltonian as bond operators for TEBD: every two-qubit term on (i, i+1)
// goes to bond i, and each one-qubit term is split between the bonds that touch its qubit (half
// to each for an interior qubit, all of it to the one bond of an end qubit). Bond operators are
// Hermitian 4×4 in the basis 2·b(i) + b(i+1) (interleaved re/im, as Mat4 in circuit/gates.ts).
import { EigenvalueDecomposition } from 'ml-matrix';
import type { Mat2, Mat4 } from '../circuit/gates';
import { IDENTITY2, PAULI_MATRICES, kron2 } from '../mps';
import { type PauliSum, firstNonChainTerm, formatTerm } from '../../model/pauli';

export interface ChainHamiltonian {
  readonly n: number;
  /** h_i for bond (i, i+1), i = 0 … n−2. */
  readonly bonds: readonly Mat4[];
  /** Σ|coefficient| of what each bond carries (folded fields included): a bound on ‖h_i‖. */
  readonly bondNorms: readonly number[];
  /** The whole Hamiltonian when n = 1 (2×2), else undefined. */
  readonly single?: Mat2;
  /** Σ of identity coefficients: contributes the global phase e^{−i·shift·t}. */
  readonly shift: number;
}

/** Splits h into bond operators; throws when a term is not on one qubit or on neighbours i, i+1. */
export function chainHamiltonian(h: PauliSum): ChainHamiltonian {
  const bad = firstNonChainTerm(h);
  if (bad) {
    throw new Error(`TEBD needs a nearest-neighbour chain (terms on one qubit or on qubits i, i+1); '${formatTerm(bad)}' is not`);
  }
  const n = h.qubits;
  let shift = 0;
  if (n === 1) {
    const single = new Float64Array(8);
    for (const t of h.terms) {
      if (t.factors.length === 0) shift += t.coeff;
      else addScaled(single, PAULI_MATRICES[t.factors[0].pauli], t.coeff);
    }
    return { n, bonds: [], bondNorms: [], single, shift };
  }
  const bonds = Array.from({ length: n - 1 }, () => new Float64Array(32));
  const bondNorms = new Array<number>(n - 1).fill(0);
  for (const t of h.terms) {
    const f = t.factors;
    if (f.length === 0) { shift += t.coeff; continue; }
    if (f.length === 2) {
      const i = f[0].qubit;
      addScaled(bonds[i], kron2(PAULI_MATRICES[f[0].pauli], PAULI_MATRICES[f[1].pauli]), t.coeff);
      bondNorms[i] += Math.abs(t.coeff);
      continue;
    }
    const q = f[0].qubit, p = PAULI_MATRICES[f[0].pauli];
    const left = q - 1 >= 0 ? q - 1 : -1, right = q <= n - 2 ? q : -1; // bonds touching q
    const share = left >= 0 && right >= 0 ? 0.5 : 1;
    if (left >= 0) { addScaled(bonds[left], kron2(IDENTITY2, p), share * t.coeff); bondNorms[left] += share * Math.abs(t.coeff); }
    if (right >= 0) { addScaled(bonds[right], kron2(p, IDENTITY2), share * t.coeff); bondNorms[right] += share * Math.abs(t.coeff); }
  }
  return { n, bonds, bondNorms, shift };
}

function addScaled(acc: Float64Array, m: Float64Array, c: number): void {
  for (let k = 0; k < acc.length; k++) acc[k] += c * m[k];
}

/**
 * exp(−i·τ·H) for a Hermitian d×d H (interleaved), exactly up to rounding: the eigen-decomposition
 * of the real symmetric embedding E = [[Re H, −Im H], [Im H, Re H]] gives cos(τE) and sin(τE),
 * which embed cos(τH) and sin(τH) (the embedding is a ring homomorphism, so this holds whatever
 * the eigenvectors chosen inside the doubled eigenspaces), and exp(−iτH) = cos(τH) − i·sin(τH).
 */
export function expmHermitian(hm: Float64Array, d: number, tau: number): Float64Array {
  const e: number[][] = [];
  for (let r = 0; r < 2 * d; r++) e.push(new Array<number>(2 * d).fill(0));
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) {
    const re = hm[(r * d + c) * 2], im = hm[(r * d + c) * 2 + 1];
    e[r][c] = re; e[r + d][c + d] = re;
    e[r][c + d] = -im; e[r + d][c] = im;
  }
  const evd = new EigenvalueDecomposition(e, { assumeSymmetric: true });
  const lam = evd.realEigenvalues, V = evd.eigenvectorMatrix;
  const out = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) {
    // Only the left block column of f(E) is needed: [Re f(H); Im f(H)].
    let cr = 0, ci = 0, sr = 0, si = 0;
    for (let k = 0; k < 2 * d; k++) {
      const cs = Math.cos(tau * lam[k]), sn = Math.sin(tau * lam[k]);
      const top = V.get(r, k) * V.get(c, k), bottom = V.get(r + d, k) * V.get(c, k);
      cr += cs * top; ci += cs * bottom;
      sr += sn * top; si += sn * bottom;
    }
    out[(r * d + c) * 2] = cr + si;
    out[(r * d + c) * 2 + 1] = ci - sr;
  }
  return out;
}
