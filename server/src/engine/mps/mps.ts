// The MPS value: site i is qubit i, tensors of shape (χ_left, 2, χ_right), and the orthogonality
// centre when it is known. Construction, copies, shape queries and the dense conversion for tests.
import type { StateVector } from '../sim/statevector';
import { MAX_STATEVECTOR_QUBITS } from '../sim/statevector';

/**
 * One site tensor T[l, s, r], stored row-major at (l·2 + s)·right + r with split re/im parts.
 * The same storage is the (2·left × right) matrix with rows (l, s) and the (left × 2·right)
 * matrix with columns (s, r): both reshapes are free, which is why the physical index sits in
 * the middle.
 */
export interface SiteTensor {
  readonly left: number;
  readonly right: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/**
 * A matrix product state on `n` qubits. `sites` and `center` change in place under the mutating
 * operations (see index.ts for the convention). When `center` = c is defined, every site left of
 * c is left-orthonormal (Σ_{l,s} conj(T[l,s,r]) T[l,s,r'] = δ_{rr'}) and every site right of c is
 * right-orthonormal, so the state's norm is the centre tensor's norm.
 */
export interface Mps {
  readonly n: number;
  sites: SiteTensor[];
  center: number | undefined;
}

export interface Complex { re: number; im: number }

export function siteTensor(left: number, right: number): SiteTensor {
  const len = left * 2 * right;
  return { left, right, re: new Float64Array(len), im: new Float64Array(len) };
}

/** |0…0⟩ on n qubits. */
export function zeroMps(n: number): Mps {
  return productMps('0'.repeat(n));
}

/** A product state from per-qubit labels '0', '1' or '+' (character k is qubit k). Centre 0. */
export function productMps(labels: string): Mps {
  if (labels.length === 0) throw new RangeError('productMps: an MPS needs at least one qubit');
  const sites: SiteTensor[] = [];
  for (let q = 0; q < labels.length; q++) {
    const t = siteTensor(1, 1);
    const c = labels[q];
    if (c === '0') t.re[0] = 1;
    else if (c === '1') t.re[1] = 1;
    else if (c === '+') { t.re[0] = Math.SQRT1_2; t.re[1] = Math.SQRT1_2; }
    else throw new RangeError(`productMps: label '${c}' of qubit ${q} is not '0', '1' or '+'`);
    sites.push(t);
  }
  // Every bond has dimension 1 and every tensor unit norm: the state is canonical about any site.
  return { n: labels.length, sites, center: 0 };
}

/** A deep copy (the only way to keep a state across a mutating operation). */
export function cloneMps(mps: Mps): Mps {
  return {
    n: mps.n,
    sites: mps.sites.map((t) => ({ left: t.left, right: t.right, re: t.re.slice(), im: t.im.slice() })),
    center: mps.center,
  };
}

/** Bond dimensions χ_1 … χ_{n−1} (the right dimension of sites 0 … n−2). */
export function bondDimensions(mps: Mps): number[] {
  return mps.sites.slice(0, -1).map((t) => t.right);
}

export function maxBondDimension(mps: Mps): number {
  let m = 1;
  for (let i = 0; i + 1 < mps.n; i++) m = Math.max(m, mps.sites[i].right);
  return m;
}

/** In place: multiplies the state by the complex scalar (cr + i·ci), on the centre tensor when known. */
export function scaleMps(mps: Mps, cr: number, ci = 0): void {
  const t = mps.sites[mps.center ?? 0];
  const re = t.re, im = t.im;
  for (let k = 0; k < re.length; k++) {
    const x = re[k], y = im[k];
    re[k] = cr * x - ci * y;
    im[k] = cr * y + ci * x;
  }
}

/** The dense amplitudes (qubit 0 the least significant bit), for tests on small n. */
export function mpsToDense(mps: Mps): StateVector {
  const n = mps.n;
  if (n > MAX_STATEVECTOR_QUBITS) throw new RangeError(`mpsToDense: ${n} qubits is too many`);
  // V[(s_0 … s_i), r]: rows grow as prev·2 + s_i, so s_0 ends up the MOST significant bit.
  let rows = 1, cols = 1;
  let vr = new Float64Array([1]), vi = new Float64Array([0]);
  for (let i = 0; i < n; i++) {
    const t = mps.sites[i];
    if (t.left !== cols) throw new RangeError(`mpsToDense: bond mismatch at site ${i}`);
    const nc = t.right;
    const wr = new Float64Array(rows * 2 * nc), wi = new Float64Array(rows * 2 * nc);
    for (let p = 0; p < rows; p++) {
      for (let m = 0; m < cols; m++) {
        const ar = vr[p * cols + m], ai = vi[p * cols + m];
        if (ar === 0 && ai === 0) continue;
        const src = m * 2 * nc, dst = p * 2 * nc;
        for (let j = 0; j < 2 * nc; j++) {
          const br = t.re[src + j], bi = t.im[src + j];
          wr[dst + j] += ar * br - ai * bi;
          wi[dst + j] += ar * bi + ai * br;
        }
      }
    }
    vr = wr; vi = wi; rows *= 2; cols = nc;
  }
  const dim = 1 << n;
  const re = new Float64Array(dim), im = new Float64Array(dim);
  for (let idx = 0; idx < dim; idx++) {
    let rev = 0;
    for (let b = 0; b < n; b++) if (idx & (1 << b)) rev |= 1 << (n - 1 - b);
    re[rev] = vr[idx]; im[rev] = vi[idx];
  }
  return { qubits: n, re, im };
}

/** Checks bond dimensions agree and the boundary bonds are 1; throws with the site otherwise. */
export function assertValidMps(mps: Mps): void {
  if (mps.sites.length !== mps.n) throw new Error(`MPS: ${mps.sites.length} tensors for ${mps.n} qubits`);
  if (mps.sites[0].left !== 1 || mps.sites[mps.n - 1].right !== 1) throw new Error('MPS: boundary bonds must be 1');
  for (let i = 0; i < mps.n; i++) {
    const t = mps.sites[i];
    if (t.re.length !== t.left * 2 * t.right || t.im.length !== t.re.length) throw new Error(`MPS: site ${i} has the wrong size`);
    if (i + 1 < mps.n && t.right !== mps.sites[i + 1].left) throw new Error(`MPS: bond ${i}|${i + 1} mismatch`);
  }
}
