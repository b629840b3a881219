// Complex Householder reflectors on raw split re/im row-major arrays (internal building block of
// QR and bidiagonalisation). Conventions follow LAPACK's ZLARFG: H = I − τ·v·vᴴ with v[0] = 1 and
// Hᴴ·[α; x] = [β; 0] where β is REAL — that is what makes the bidiagonal form real.

const SAFE_LO = 1e-280;
const SAFE_HI = 1e280;

/**
 * Generate a reflector for the length-`n` vector stored at re/im[off + t·stride], t = 0..n−1.
 * On return the vector holds [β; v₁..vₙ₋₁] (v₀ = 1 implied) and out = [Re τ, Im τ, β].
 * τ = 0 means H = I (already in the wanted form).
 */
export function larfg(n: number, re: Float64Array, im: Float64Array, off: number, stride: number, out: Float64Array): void {
  const alphr = re[off], alphi = im[off];
  let ssq = 0;
  const end = off + n * stride;
  for (let t = off + stride; t < end; t += stride) ssq += re[t] * re[t] + im[t] * im[t];
  if (ssq !== 0 && (ssq < SAFE_LO || ssq > SAFE_HI)) ssq = scaledSumSq(n, re, im, off, stride);
  if (ssq === 0 && alphi === 0) {
    out[0] = 0; out[1] = 0; out[2] = alphr;
    return;
  }
  const norm = Math.sqrt(alphr * alphr + alphi * alphi + ssq);
  const beta = alphr >= 0 ? -norm : norm;
  out[0] = (beta - alphr) / beta;
  out[1] = -alphi / beta;
  out[2] = beta;
  // x ← x / (α − β); α − β never cancels because β has the opposite sign of Re α.
  const dr = alphr - beta, di = alphi;
  const inv = 1 / (dr * dr + di * di);
  const sr = dr * inv, si = -di * inv;
  for (let t = off + stride; t < end; t += stride) {
    const xr = re[t], xi = im[t];
    re[t] = xr * sr - xi * si;
    im[t] = xr * si + xi * sr;
  }
  re[off] = beta;
  im[off] = 0;
}

/** Σ|x_t|² for t ≥ 1 computed with scaling, for the rare extreme-magnitude case. */
function scaledSumSq(n: number, re: Float64Array, im: Float64Array, off: number, stride: number): number {
  let scale = 0;
  const end = off + n * stride;
  for (let t = off + stride; t < end; t += stride) scale = Math.max(scale, Math.abs(re[t]), Math.abs(im[t]));
  if (scale === 0) return 0;
  let s = 0;
  for (let t = off + stride; t < end; t += stride) {
    const a = re[t] / scale, b = im[t] / scale;
    s += a * a + b * b;
  }
  // May over/underflow only if the true value does, which is outside our supported range.
  return s * scale * scale;
}

/**
 * A[r0.., c0..c0+nc) ← (I − t·v·vᴴ)·A for the `len` rows starting at r0 (row-major, leading dim lda).
 * v is contiguous in (vr, vi) from index 0, t = tr + i·ti. w (length ≥ nc, two arrays) is scratch.
 */
export function applyLeft(
  len: number, nc: number, vr: Float64Array, vi: Float64Array, tr: number, ti: number,
  ar: Float64Array, ai: Float64Array, r0: number, c0: number, lda: number,
  wr: Float64Array, wi: Float64Array,
): void {
  T2[0] = tr; T2[1] = ti;
  reflectLeft(len, nc, vr, vi, 0, T2, 0, false, ar, ai, r0, c0, lda, wr, wi);
}

/** τ for the wrappers (see below). */
const T2 = new Float64Array(2);

/**
 * applyLeft with v starting at vr/vi[vo] (no subarray view needed) and t read from
 * tau[to], tau[to + 1], conjugated when `conj`. Taking τ from an array rather than as two numbers
 * keeps the (non-inlined) call from boxing them: this runs once per reflector per matrix.
 */
export function reflectLeft(
  len: number, nc: number, vr: Float64Array, vi: Float64Array, vo: number, tau: Float64Array, to: number, conj: boolean,
  ar: Float64Array, ai: Float64Array, r0: number, c0: number, lda: number,
  wr: Float64Array, wi: Float64Array,
): void {
  const tr = tau[to], ti = conj ? -tau[to + 1] : tau[to + 1];
  if ((tr === 0 && ti === 0) || nc <= 0 || len <= 0) return;
  // w = vᴴ·A, four rows per pass so w is loaded/stored once per four rows. The first pass
  // initialises w instead of accumulating into a zeroed buffer.
  let r = 0;
  if (len >= 4) {
    const p0 = r0 * lda + c0, p1 = p0 + lda, p2 = p1 + lda, p3 = p2 + lda;
    const v0r = vr[vo], v0i = -vi[vo], v1r = vr[vo + 1], v1i = -vi[vo + 1];
    const v2r = vr[vo + 2], v2i = -vi[vo + 2], v3r = vr[vo + 3], v3i = -vi[vo + 3];
    for (let j = 0; j < nc; j++) {
      const a0r = ar[p0 + j], a0i = ai[p0 + j], a1r = ar[p1 + j], a1i = ai[p1 + j];
      const a2r = ar[p2 + j], a2i = ai[p2 + j], a3r = ar[p3 + j], a3i = ai[p3 + j];
      wr[j] = (v0r * a0r - v0i * a0i) + (v1r * a1r - v1i * a1i) + (v2r * a2r - v2i * a2i) + (v3r * a3r - v3i * a3i);
      wi[j] = (v0r * a0i + v0i * a0r) + (v1r * a1i + v1i * a1r) + (v2r * a2i + v2i * a2r) + (v3r * a3i + v3i * a3r);
    }
    r = 4;
  } else {
    wr.fill(0, 0, nc);
    wi.fill(0, 0, nc);
  }
  for (; r + 4 <= len; r += 4) {
    const p0 = (r0 + r) * lda + c0, p1 = p0 + lda, p2 = p1 + lda, p3 = p2 + lda;
    const q = vo + r;
    const v0r = vr[q], v0i = -vi[q], v1r = vr[q + 1], v1i = -vi[q + 1];
    const v2r = vr[q + 2], v2i = -vi[q + 2], v3r = vr[q + 3], v3i = -vi[q + 3];
    for (let j = 0; j < nc; j++) {
      const a0r = ar[p0 + j], a0i = ai[p0 + j], a1r = ar[p1 + j], a1i = ai[p1 + j];
      const a2r = ar[p2 + j], a2i = ai[p2 + j], a3r = ar[p3 + j], a3i = ai[p3 + j];
      wr[j] += (v0r * a0r - v0i * a0i) + (v1r * a1r - v1i * a1i) + (v2r * a2r - v2i * a2i) + (v3r * a3r - v3i * a3i);
      wi[j] += (v0r * a0i + v0i * a0r) + (v1r * a1i + v1i * a1r) + (v2r * a2i + v2i * a2r) + (v3r * a3i + v3i * a3r);
    }
  }
  for (; r < len; r++) {
    const p0 = (r0 + r) * lda + c0;
    const v0r = vr[vo + r], v0i = -vi[vo + r];
    for (let j = 0; j < nc; j++) {
      const a0r = ar[p0 + j], a0i = ai[p0 + j];
      wr[j] += v0r * a0r - v0i * a0i;
      wi[j] += v0r * a0i + v0i * a0r;
    }
  }
  // A −= (t·v)·w, two rows per pass so w is loaded once per two rows.
  for (r = 0; r + 2 <= len; r += 2) {
    const p0 = (r0 + r) * lda + c0, p1 = p0 + lda;
    const q = vo + r;
    const s0r = tr * vr[q] - ti * vi[q], s0i = tr * vi[q] + ti * vr[q];
    const s1r = tr * vr[q + 1] - ti * vi[q + 1], s1i = tr * vi[q + 1] + ti * vr[q + 1];
    for (let j = 0; j < nc; j++) {
      const xr = wr[j], xi = wi[j];
      ar[p0 + j] -= s0r * xr - s0i * xi;
      ai[p0 + j] -= s0r * xi + s0i * xr;
      ar[p1 + j] -= s1r * xr - s1i * xi;
      ai[p1 + j] -= s1r * xi + s1i * xr;
    }
  }
  if (r < len) {
    const p0 = (r0 + r) * lda + c0;
    const q = vo + r;
    const sr = tr * vr[q] - ti * vi[q], si = tr * vi[q] + ti * vr[q];
    for (let j = 0; j < nc; j++) {
      const xr = wr[j], xi = wi[j];
      ar[p0 + j] -= sr * xr - si * xi;
      ai[p0 + j] -= sr * xi + si * xr;
    }
  }
}

/**
 * A[r0..r0+nr, c0..c0+len) ← A·(I − t·v·vᴴ) (row-major, leading dim lda); v contiguous from 0.
 * Row-major makes both the product A·v (dot per row) and the rank-1 update contiguous.
 */
export function applyRight(
  nr: number, len: number, vr: Float64Array, vi: Float64Array, tr: number, ti: number,
  ar: Float64Array, ai: Float64Array, r0: number, c0: number, lda: number,
): void {
  T2[0] = tr; T2[1] = ti;
  reflectRight(nr, len, vr, vi, 0, T2, 0, false, ar, ai, r0, c0, lda);
}

/** applyRight with v starting at vr/vi[vo] and τ as in reflectLeft. */
export function reflectRight(
  nr: number, len: number, vr: Float64Array, vi: Float64Array, vo: number, tau: Float64Array, to: number, conj: boolean,
  ar: Float64Array, ai: Float64Array, r0: number, c0: number, lda: number,
): void {
  const tr = tau[to], ti = conj ? -tau[to + 1] : tau[to + 1];
  if ((tr === 0 && ti === 0) || nr <= 0 || len <= 0) return;
  let r = 0;
  // Two rows per pass share the loads of v.
  for (; r + 2 <= nr; r += 2) {
    const p0 = (r0 + r) * lda + c0, p1 = p0 + lda;
    let y0r = 0, y0i = 0, y1r = 0, y1i = 0;
    for (let j = 0; j < len; j++) {
      const xr = vr[vo + j], xi = vi[vo + j];
      const a0r = ar[p0 + j], a0i = ai[p0 + j], a1r = ar[p1 + j], a1i = ai[p1 + j];
      y0r += a0r * xr - a0i * xi; y0i += a0r * xi + a0i * xr;
      y1r += a1r * xr - a1i * xi; y1i += a1r * xi + a1i * xr;
    }
    // s = t·y; A[r, j] −= s·conj(v_j)
    const s0r = tr * y0r - ti * y0i, s0i = tr * y0i + ti * y0r;
    const s1r = tr * y1r - ti * y1i, s1i = tr * y1i + ti * y1r;
    for (let j = 0; j < len; j++) {
      const xr = vr[vo + j], xi = -vi[vo + j];
      ar[p0 + j] -= s0r * xr - s0i * xi; ai[p0 + j] -= s0r * xi + s0i * xr;
      ar[p1 + j] -= s1r * xr - s1i * xi; ai[p1 + j] -= s1r * xi + s1i * xr;
    }
  }
  for (; r < nr; r++) {
    const p0 = (r0 + r) * lda + c0;
    let y0r = 0, y0i = 0;
    for (let j = 0; j < len; j++) {
      const xr = vr[vo + j], xi = vi[vo + j];
      const a0r = ar[p0 + j], a0i = ai[p0 + j];
      y0r += a0r * xr - a0i * xi; y0i += a0r * xi + a0i * xr;
    }
    const s0r = tr * y0r - ti * y0i, s0i = tr * y0i + ti * y0r;
    for (let j = 0; j < len; j++) {
      const xr = vr[vo + j], xi = -vi[vo + j];
      ar[p0 + j] -= s0r * xr - s0i * xi; ai[p0 + j] -= s0r * xi + s0i * xr;
    }
  }
}
