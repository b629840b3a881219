// Small dense gate matrices (interleaved re/im, row-major, as in circuit/gates.ts): products,
// Kronecker products and the qubit-order swap of a two-qubit matrix.
import type { Mat2, Mat4 } from '../circuit/gates';
import type { PauliLetter } from '../../model/pauli';

/** a·b for interleaved complex d×d matrices. */
export function matmulSmall(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      let re = 0, im = 0;
      for (let k = 0; k < d; k++) {
        const ar = a[(r * d + k) * 2], ai = a[(r * d + k) * 2 + 1];
        const br = b[(k * d + c) * 2], bi = b[(k * d + c) * 2 + 1];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      out[(r * d + c) * 2] = re;
      out[(r * d + c) * 2 + 1] = im;
    }
  }
  return out;
}

/** a ⊗ b in the basis 2·b(first) + b(second): a acts on the first qubit of the pair. */
export function kron2(a: Mat2, b: Mat2): Mat4 {
  const out = new Float64Array(32);
  for (let r0 = 0; r0 < 2; r0++) for (let c0 = 0; c0 < 2; c0++) {
    const ar = a[(r0 * 2 + c0) * 2], ai = a[(r0 * 2 + c0) * 2 + 1];
    for (let r1 = 0; r1 < 2; r1++) for (let c1 = 0; c1 < 2; c1++) {
      const br = b[(r1 * 2 + c1) * 2], bi = b[(r1 * 2 + c1) * 2 + 1];
      const k = ((2 * r0 + r1) * 4 + (2 * c0 + c1)) * 2;
      out[k] = ar * br - ai * bi;
      out[k + 1] = ar * bi + ai * br;
    }
  }
  return out;
}

export const IDENTITY2: Mat2 = Float64Array.from([1, 0, 0, 0, 0, 0, 1, 0]);

export const PAULI_MATRICES: Readonly<Record<PauliLetter, Mat2>> = {
  X: Float64Array.from([0, 0, 1, 0, 1, 0, 0, 0]),
  Y: Float64Array.from([0, 0, 0, -1, 0, 1, 0, 0]),
  Z: Float64Array.from([1, 0, 0, 0, 0, 0, -1, 0]),
};

/** The same operator with the pair's qubit order exchanged: basis index 2·b1 + b0 instead of 2·b0 + b1. */
export function swapQubitOrder(u: Mat4): Mat4 {
  const perm = [0, 2, 1, 3];
  const out = new Float64Array(32);
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) {
    const src = (perm[r] * 4 + perm[c]) * 2, dst = (r * 4 + c) * 2;
    out[dst] = u[src];
    out[dst + 1] = u[src + 1];
  }
  return out;
}

/** ‖u†u − I‖_max ≤ tol for an interleaved d×d matrix. */
export function isUnitary(u: Float64Array, d: number, tol = 1e-12): boolean {
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) {
    let re = 0, im = 0;
    for (let k = 0; k < d; k++) {
      const ar = u[(k * d + r) * 2], ai = -u[(k * d + r) * 2 + 1];
      const br = u[(k * d + c) * 2], bi = u[(k * d + c) * 2 + 1];
      re += ar * br - ai * bi;
      im += ar * bi + ai * br;
    }
    if (Math.abs(re - (r === c ? 1 : 0)) > tol || Math.abs(im) > tol) return false;
  }
  return true;
}
