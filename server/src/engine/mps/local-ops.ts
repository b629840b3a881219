// A small operator on the middle index of a [(x, s), y] buffer — the physical index of a site
// tensor, or the pair index (s1, s2) of a two-site tensor: dst[x, o, y] = Σ_k op[o, k]·src[x, k, y].
// src and dst may be the same buffers (each (x, y) column is read before it is written).
import type { Mat2, Mat4 } from '../circuit/gates';

/** d = 2: op is a 2×2 interleaved matrix. */
export function applyOp2(sr: Float64Array, si: Float64Array, dr: Float64Array, di: Float64Array, outer: number, inner: number, op: Mat2): void {
  // Indexed loads: destructuring a typed array would go through its iterator.
  const g00r = op[0], g00i = op[1], g01r = op[2], g01i = op[3], g10r = op[4], g10i = op[5], g11r = op[6], g11i = op[7];
  for (let x = 0; x < outer; x++) {
    const o0 = 2 * x * inner, o1 = o0 + inner;
    for (let y = 0; y < inner; y++) {
      const ar = sr[o0 + y], ai = si[o0 + y], br = sr[o1 + y], bi = si[o1 + y];
      dr[o0 + y] = g00r * ar - g00i * ai + g01r * br - g01i * bi;
      di[o0 + y] = g00r * ai + g00i * ar + g01r * bi + g01i * br;
      dr[o1 + y] = g10r * ar - g10i * ai + g11r * br - g11i * bi;
      di[o1 + y] = g10r * ai + g10i * ar + g11r * bi + g11i * br;
    }
  }
}

/** d = 4: op is a 4×4 interleaved matrix on the index 2·s1 + s2. */
export function applyOp4(sr: Float64Array, si: Float64Array, dr: Float64Array, di: Float64Array, outer: number, inner: number, op: Mat4): void {
  const g00r = op[0], g00i = op[1], g01r = op[2], g01i = op[3], g02r = op[4], g02i = op[5], g03r = op[6], g03i = op[7];
  const g10r = op[8], g10i = op[9], g11r = op[10], g11i = op[11], g12r = op[12], g12i = op[13], g13r = op[14], g13i = op[15];
  const g20r = op[16], g20i = op[17], g21r = op[18], g21i = op[19], g22r = op[20], g22i = op[21], g23r = op[22], g23i = op[23];
  const g30r = op[24], g30i = op[25], g31r = op[26], g31i = op[27], g32r = op[28], g32i = op[29], g33r = op[30], g33i = op[31];
  for (let x = 0; x < outer; x++) {
    const o0 = 4 * x * inner, o1 = o0 + inner, o2 = o1 + inner, o3 = o2 + inner;
    for (let y = 0; y < inner; y++) {
      const ar = sr[o0 + y], ai = si[o0 + y], br = sr[o1 + y], bi = si[o1 + y];
      const cr = sr[o2 + y], ci = si[o2 + y], er = sr[o3 + y], ei = si[o3 + y];
      dr[o0 + y] = g00r * ar - g00i * ai + g01r * br - g01i * bi + g02r * cr - g02i * ci + g03r * er - g03i * ei;
      di[o0 + y] = g00r * ai + g00i * ar + g01r * bi + g01i * br + g02r * ci + g02i * cr + g03r * ei + g03i * er;
      dr[o1 + y] = g10r * ar - g10i * ai + g11r * br - g11i * bi + g12r * cr - g12i * ci + g13r * er - g13i * ei;
      di[o1 + y] = g10r * ai + g10i * ar + g11r * bi + g11i * br + g12r * ci + g12i * cr + g13r * ei + g13i * er;
      dr[o2 + y] = g20r * ar - g20i * ai + g21r * br - g21i * bi + g22r * cr - g22i * ci + g23r * er - g23i * ei;
      di[o2 + y] = g20r * ai + g20i * ar + g21r * bi + g21i * br + g22r * ci + g22i * cr + g23r * ei + g23i * er;
      dr[o3 + y] = g30r * ar - g30i * ai + g31r * br - g31i * bi + g32r * cr - g32i * ci + g33r * er - g33i * ei;
      di[o3 + y] = g30r * ai + g30i * ar + g31r * bi + g31i * br + g32r * ci + g32i * cr + g33r * ei + g33i * er;
    }
  }
}
