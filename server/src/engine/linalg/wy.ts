// Compact-WY blocks of Householder reflectors (LAPACK ZLARFT/ZLARFB): H_0·H_1·…·H_{b−1} =
// I − V·T·Vᴴ with V (len×b, unit lower trapezoidal) and T (b×b upper triangular). Applying a block
// costs three matrix products that run on the fast gemm kernel instead of 2b rank-1 passes.

import { gemmRaw } from './gemm';

export interface WYBlock {
  /** Number of reflectors. */
  b: number;
  /** Rows of the frame the reflectors live in (reflector j is zero above row j, 1 at row j). */
  len: number;
  /** V, row-major len×b. */
  vr: Float64Array;
  vi: Float64Array;
  /** Vᴴ, row-major b×len. */
  hr: Float64Array;
  hi: Float64Array;
  /** T, row-major b×b upper triangular. */
  tr: Float64Array;
  ti: Float64Array;
}

/**
 * Build a block from b reflectors stored in (sr, si): reflector j starts at o_j = base + j·stride and
 * occupies sr[o_j .. o_j + len − j) (its first entry is taken to be 1), with
 * τ_j = (tau[2(t0+j)], tau[2(t0+j)+1]). (Offsets are arithmetic rather than a callback so the
 * function stays monomorphic for V8.)
 */
export function makeWYBlock(
  b: number, len: number, sr: Float64Array, si: Float64Array, base: number, stride: number,
  tau: Float64Array, t0: number,
): WYBlock {
  const vr = new Float64Array(len * b), vi = new Float64Array(len * b);
  const hr = new Float64Array(b * len), hi = new Float64Array(b * len);
  for (let j = 0; j < b; j++) {
    const o = base + j * stride;
    vr[j * b + j] = 1; hr[j * len + j] = 1;
    for (let r = j + 1; r < len; r++) {
      const x = sr[o + r - j], y = si[o + r - j];
      vr[r * b + j] = x; vi[r * b + j] = y;
      hr[j * len + r] = x; hi[j * len + r] = -y;
    }
  }
  // T[0:j, j] = −τ_j · T[0:j, 0:j] · (Vᴴ v_j)[0:j]. The Gram matrix G = VᴴV comes from one gemm
  // (twice the flops of the needed triangle, but several times faster than dot-product loops).
  const gr = new Float64Array(b * b), gi = new Float64Array(b * b);
  gemmRaw(b, b, len, 1, hr, hi, 0, len, vr, vi, 0, b, gr, gi, 0, b, false);
  const tr = new Float64Array(b * b), ti = new Float64Array(b * b);
  for (let j = 0; j < b; j++) {
    const taur = tau[2 * (t0 + j)], taui = tau[2 * (t0 + j) + 1];
    tr[j * b + j] = taur; ti[j * b + j] = taui;
    for (let k = 0; k < j; k++) {
      let sRe = 0, sIm = 0;
      for (let l = k; l < j; l++) {
        const ar = tr[k * b + l], ai = ti[k * b + l], zr = gr[l * b + j], zi = gi[l * b + j];
        sRe += ar * zr - ai * zi;
        sIm += ar * zi + ai * zr;
      }
      tr[k * b + j] = -(taur * sRe - taui * sIm);
      ti[k * b + j] = -(taur * sIm + taui * sRe);
    }
  }
  return { b, len, vr, vi, hr, hi, tr, ti };
}

/** T or Tᴴ as a row-major b×b pair. */
function tOp(B: WYBlock, adjoint: boolean): [Float64Array, Float64Array] {
  if (!adjoint) return [B.tr, B.ti];
  const b = B.b, r = new Float64Array(b * b), i = new Float64Array(b * b);
  for (let p = 0; p < b; p++) for (let q = 0; q < b; q++) { r[q * b + p] = B.tr[p * b + q]; i[q * b + p] = -B.ti[p * b + q]; }
  return [r, i];
}

/**
 * X ← (I − V·T·Vᴴ)·X (or with Tᴴ when `adjoint`, i.e. the block's Hᴴ) on the len×nc sub-block of
 * the row-major X starting at (row0, col0), leading dimension ldx.
 */
export function applyWYLeft(
  B: WYBlock, adjoint: boolean, xr: Float64Array, xi: Float64Array, row0: number, col0: number, nc: number, ldx: number,
): void {
  const { b, len } = B;
  if (nc <= 0 || len <= 0 || b <= 0) return;
  const wr = new Float64Array(b * nc), wi = new Float64Array(b * nc);
  const w2r = new Float64Array(b * nc), w2i = new Float64Array(b * nc);
  const xo = row0 * ldx + col0;
  gemmRaw(b, nc, len, 1, B.hr, B.hi, 0, len, xr, xi, xo, ldx, wr, wi, 0, nc, false); // W = Vᴴ X
  const [tr, ti] = tOp(B, adjoint);
  gemmRaw(b, nc, b, 1, tr, ti, 0, b, wr, wi, 0, nc, w2r, w2i, 0, nc, false); // W ← T W
  gemmRaw(len, nc, b, -1, B.vr, B.vi, 0, b, w2r, w2i, 0, nc, xr, xi, xo, ldx, true); // X −= V W
}

/**
 * X ← X·(I − V·T·Vᴴ) (or with Tᴴ when `adjoint`) on the nr×len sub-block of the row-major X
 * starting at (row0, col0), leading dimension ldx.
 */
export function applyWYRight(
  B: WYBlock, adjoint: boolean, xr: Float64Array, xi: Float64Array, row0: number, col0: number, nr: number, ldx: number,
): void {
  const { b, len } = B;
  if (nr <= 0 || len <= 0 || b <= 0) return;
  const yr = new Float64Array(nr * b), yi = new Float64Array(nr * b);
  const y2r = new Float64Array(nr * b), y2i = new Float64Array(nr * b);
  const xo = row0 * ldx + col0;
  gemmRaw(nr, b, len, 1, xr, xi, xo, ldx, B.vr, B.vi, 0, b, yr, yi, 0, b, false); // Y = X V
  const [tr, ti] = tOp(B, adjoint);
  gemmRaw(nr, b, b, 1, yr, yi, 0, b, tr, ti, 0, b, y2r, y2i, 0, b, false); // Y ← Y T
  gemmRaw(nr, len, b, -1, y2r, y2i, 0, b, B.hr, B.hi, 0, len, xr, xi, xo, ldx, true); // X −= Y Vᴴ
}
