// One panel of blocked bidiagonalisation (LAPACK ZLABRD, m ≥ n, upper bidiagonal), row-major.
//
// Reduces rows/columns i0..i0+b−1 WITHOUT touching the trailing matrix, recording X (m×b) and
// Y (n×b) such that the trailing update is A ← A − V·Yᴴ − X·Uᴴ (V, U: the panel's left/right
// reflectors). That update is then one gemm with inner dimension 2b, so half of the
// bidiagonalisation flops run on the fast kernel; the other half are the two matrix–vector
// products per step (y = Aᴴv, x = Au) on the not-yet-updated trailing matrix, which only READ it.
//
// Storage (all "column vectors stored as rows" so every loop is contiguous):
//   left reflector  i: qr/qi[i·m + r], global row r ≥ i   (entry i is 1)
//   right reflector i: pr/pi[i·n + c], global col c ≥ i+1 (entry i+1 is 1)
//   X column k: xr/xi[k·m + r];  Y column k: yr/yi[k·n + c]

import { larfg } from './householder';
import { gemmRaw } from './gemm';

export interface PanelStore {
  m: number; n: number;
  re: Float64Array; im: Float64Array; // the matrix, row-major m×n
  d: Float64Array; e: Float64Array;
  qr: Float64Array; qi: Float64Array; qtau: Float64Array;
  pr: Float64Array; pi: Float64Array; ptau: Float64Array;
}

export interface PanelWork {
  xr: Float64Array; xi: Float64Array; // b×m
  yr: Float64Array; yi: Float64Array; // b×n
  tr: Float64Array; ti: Float64Array; // b (small coefficient vectors)
  out: Float64Array;                  // larfg result
  lr: Float64Array; li: Float64Array; // packed [V X], m×2b (reused across panels)
  rr: Float64Array; ri: Float64Array; // packed [Yᴴ; Uᴴ], 2b×n
}

export function makePanelWork(b: number, m: number, n: number): PanelWork {
  return {
    xr: new Float64Array(b * m), xi: new Float64Array(b * m),
    yr: new Float64Array(b * n), yi: new Float64Array(b * n),
    tr: new Float64Array(b), ti: new Float64Array(b),
    out: new Float64Array(3),
    lr: new Float64Array(m * 2 * b), li: new Float64Array(m * 2 * b),
    rr: new Float64Array(2 * b * n), ri: new Float64Array(2 * b * n),
  };
}

/**
 * Reduce the panel at i0 of width b (requires i0 + b < n ≤ m), then update the trailing matrix.
 * Each step is its own small function: V8 optimises small hot functions much sooner than one big
 * one, which matters because a panel is called only n/b times per factorisation.
 */
export function labrdPanel(S: PanelStore, W: PanelWork, i0: number, b: number): void {
  const out = W.out;
  for (let j = 0; j < b; j++) {
    const i = i0 + j;
    updatedColumn(S, W, i0, j);
    larfg(S.m - i, S.qr, S.qi, i * S.m + i, 1, out);
    S.qtau[2 * i] = out[0]; S.qtau[2 * i + 1] = out[1];
    S.d[i] = out[2];
    S.qr[i * S.m + i] = 1; S.qi[i * S.m + i] = 0;
    columnOfY(S, W, i0, j, out[0], out[1]);
    updatedRow(S, W, i0, j);
    larfg(S.n - i - 1, S.pr, S.pi, i * S.n + i + 1, 1, out);
    S.ptau[2 * i] = out[0]; S.ptau[2 * i + 1] = out[1];
    S.e[i] = out[2];
    S.pr[i * S.n + i + 1] = 1; S.pi[i * S.n + i + 1] = 0;
    columnOfX(S, W, i0, j, out[0], out[1]);
  }
  trailingUpdate(S, W, i0, b);
}

/** Step 1: column i of the updated matrix, A[r,i] − Σ_k V_k[r]·conj(Y_k[i]) − Σ_k X_k[r]·conj(U_k[i]), into the left-reflector slot. */
function updatedColumn(S: PanelStore, W: PanelWork, i0: number, j: number): void {
  const { m, n, re, im, qr, qi, pr, pi } = S;
  const { xr, xi, yr, yi } = W;
  const i = i0 + j, qo = i * m;
  for (let r = i; r < m; r++) { qr[qo + r] = re[r * n + i]; qi[qo + r] = im[r * n + i]; }
  for (let k = 0; k < j; k++) {
    const vo = (i0 + k) * m, xo = k * m;
    const ar = yr[k * n + i], ai = -yi[k * n + i];
    const br = pr[(i0 + k) * n + i], bi = -pi[(i0 + k) * n + i];
    for (let r = i; r < m; r++) {
      const vr = qr[vo + r], vi = qi[vo + r], wr = xr[xo + r], wi = xi[xo + r];
      qr[qo + r] -= (vr * ar - vi * ai) + (wr * br - wi * bi);
      qi[qo + r] -= (vr * ai + vi * ar) + (wr * bi + wi * br);
    }
  }
}

/** Step 3: Y column j over c > i, τq·(Aᴴv − Y·(Vᴴv) − U·(Xᴴv)). */
function columnOfY(S: PanelStore, W: PanelWork, i0: number, j: number, tqr: number, tqi: number): void {
  const { m, n, re, im, qr, qi, pr, pi } = S;
  const { xr, xi, yr, yi } = W;
  const i = i0 + j, qo = i * m, yo = j * n;
  gemvAH(re, im, n, i, m, i + 1, n, qr, qi, qo, yr, yi, yo);
  for (let k = 0; k < j; k++) {
    // t = V_kᴴ v and s = X_kᴴ v over rows i..m−1
    const vo = (i0 + k) * m, xo = k * m;
    let t0 = 0, t1 = 0, s0 = 0, s1 = 0;
    for (let r = i; r < m; r++) {
      const vr = qr[qo + r], vi = qi[qo + r];
      const ar = qr[vo + r], ai = qi[vo + r], br = xr[xo + r], bi = xi[xo + r];
      t0 += ar * vr + ai * vi; t1 += ar * vi - ai * vr;
      s0 += br * vr + bi * vi; s1 += br * vi - bi * vr;
    }
    const ko = k * n, uo = (i0 + k) * n;
    for (let c = i + 1; c < n; c++) {
      const ar = yr[ko + c], ai = yi[ko + c], br = pr[uo + c], bi = pi[uo + c];
      yr[yo + c] -= (ar * t0 - ai * t1) + (br * s0 - bi * s1);
      yi[yo + c] -= (ar * t1 + ai * t0) + (br * s1 + bi * s0);
    }
  }
  for (let c = i + 1; c < n; c++) {
    const a = yr[yo + c], bb = yi[yo + c];
    yr[yo + c] = tqr * a - tqi * bb;
    yi[yo + c] = tqr * bb + tqi * a;
  }
}

/** Step 4: row i of the updated matrix, conjugated, into the right-reflector slot. */
function updatedRow(S: PanelStore, W: PanelWork, i0: number, j: number): void {
  const { m, n, re, im, qr, qi, pr, pi } = S;
  const { xr, xi, yr, yi } = W;
  const i = i0 + j, po = i * n;
  for (let c = i + 1; c < n; c++) { pr[po + c] = re[i * n + c]; pi[po + c] = -im[i * n + c]; }
  for (let k = 0; k <= j; k++) {
    // − Y_k[c]·conj(V_k[i]) − U_k[c]·conj(X_k[i]) (the U term only for k < j)
    const ar = qr[(i0 + k) * m + i], ai = -qi[(i0 + k) * m + i];
    const ko = k * n, uo = (i0 + k) * n;
    if (k < j) {
      const br = xr[k * m + i], bi = -xi[k * m + i];
      for (let c = i + 1; c < n; c++) {
        const yR = yr[ko + c], yI = yi[ko + c], uR = pr[uo + c], uI = pi[uo + c];
        pr[po + c] -= (yR * ar - yI * ai) + (uR * br - uI * bi);
        pi[po + c] -= (yR * ai + yI * ar) + (uR * bi + uI * br);
      }
    } else {
      for (let c = i + 1; c < n; c++) {
        const yR = yr[ko + c], yI = yi[ko + c];
        pr[po + c] -= yR * ar - yI * ai;
        pi[po + c] -= yR * ai + yI * ar;
      }
    }
  }
}

/** Step 5: X column j over r > i, τp·(A·u − V·(Yᴴu) − X·(Uᴴu)). */
function columnOfX(S: PanelStore, W: PanelWork, i0: number, j: number, tpr: number, tpi: number): void {
  const { m, n, re, im, qr, qi, pr, pi } = S;
  const { xr, xi, yr, yi, tr, ti } = W;
  const i = i0 + j, po = i * n, xo = j * m;
  gemvA(re, im, n, i + 1, m, i + 1, n, pr, pi, po, xr, xi, xo);
  for (let k = 0; k <= j; k++) {
    const ko = k * n;
    let t0 = 0, t1 = 0;
    for (let c = i + 1; c < n; c++) {
      const ur = pr[po + c], ui = pi[po + c], ar = yr[ko + c], ai = yi[ko + c];
      t0 += ar * ur + ai * ui; t1 += ar * ui - ai * ur;
    }
    tr[k] = t0; ti[k] = t1;
  }
  for (let k = 0; k <= j; k++) {
    const vo = (i0 + k) * m, a0 = tr[k], a1 = ti[k];
    for (let r = i + 1; r < m; r++) {
      const vr = qr[vo + r], vi = qi[vo + r];
      xr[xo + r] -= vr * a0 - vi * a1;
      xi[xo + r] -= vr * a1 + vi * a0;
    }
  }
  for (let k = 0; k < j; k++) {
    const uo = (i0 + k) * n;
    let t0 = 0, t1 = 0;
    for (let c = i + 1; c < n; c++) {
      const ur = pr[po + c], ui = pi[po + c], ar = pr[uo + c], ai = pi[uo + c];
      t0 += ar * ur + ai * ui; t1 += ar * ui - ai * ur;
    }
    const ko = k * m;
    for (let r = i + 1; r < m; r++) {
      const wr = xr[ko + r], wi = xi[ko + r];
      xr[xo + r] -= wr * t0 - wi * t1;
      xi[xo + r] -= wr * t1 + wi * t0;
    }
  }
  for (let r = i + 1; r < m; r++) {
    const a = xr[xo + r], bb = xi[xo + r];
    xr[xo + r] = tpr * a - tpi * bb;
    xi[xo + r] = tpr * bb + tpi * a;
  }
}

/** A[R0:, C0:] −= [V X]·[Yᴴ; Uᴴ] as one gemm with inner dimension 2b. */
function trailingUpdate(S: PanelStore, W: PanelWork, i0: number, b: number): void {
  const { m, n, re, im, qr, qi, pr, pi } = S;
  const { xr, xi, yr, yi } = W;
  const R0 = i0 + b, C0 = i0 + b, mr = m - R0, nc = n - C0, k2 = 2 * b;
  const Lr = W.lr, Li = W.li, Rr = W.rr, Ri = W.ri;
  for (let r = 0; r < mr; r++) {
    const lo = r * k2;
    for (let k = 0; k < b; k++) {
      Lr[lo + k] = qr[(i0 + k) * m + R0 + r]; Li[lo + k] = qi[(i0 + k) * m + R0 + r];
      Lr[lo + b + k] = xr[k * m + R0 + r]; Li[lo + b + k] = xi[k * m + R0 + r];
    }
  }
  for (let k = 0; k < b; k++) {
    const yo = k * n + C0, uo = (i0 + k) * n + C0, a = k * nc, bo = (b + k) * nc;
    for (let c = 0; c < nc; c++) {
      Rr[a + c] = yr[yo + c]; Ri[a + c] = -yi[yo + c];
      Rr[bo + c] = pr[uo + c]; Ri[bo + c] = -pi[uo + c];
    }
  }
  gemmRaw(mr, nc, k2, -1, Lr, Li, 0, k2, Rr, Ri, 0, nc, re, im, R0 * n + C0, n, true);
}

/** out[o + c] = Σ_{r∈[r0,r1)} conj(A[r,c])·v[vo + r] for c ∈ [c0, c1); four rows per pass. */
function gemvAH(
  ar: Float64Array, ai: Float64Array, lda: number, r0: number, r1: number, c0: number, c1: number,
  vr: Float64Array, vi: Float64Array, vo: number, or: Float64Array, oi: Float64Array, o: number,
): void {
  or.fill(0, o + c0, o + c1);
  oi.fill(0, o + c0, o + c1);
  let r = r0;
  for (; r + 4 <= r1; r += 4) {
    const v0r = vr[vo + r], v0i = vi[vo + r], v1r = vr[vo + r + 1], v1i = vi[vo + r + 1];
    const v2r = vr[vo + r + 2], v2i = vi[vo + r + 2], v3r = vr[vo + r + 3], v3i = vi[vo + r + 3];
    const p0 = r * lda, p1 = p0 + lda, p2 = p1 + lda, p3 = p2 + lda;
    for (let c = c0; c < c1; c++) {
      const a0r = ar[p0 + c], a0i = ai[p0 + c], a1r = ar[p1 + c], a1i = ai[p1 + c];
      const a2r = ar[p2 + c], a2i = ai[p2 + c], a3r = ar[p3 + c], a3i = ai[p3 + c];
      or[o + c] += (a0r * v0r + a0i * v0i) + (a1r * v1r + a1i * v1i) + (a2r * v2r + a2i * v2i) + (a3r * v3r + a3i * v3i);
      oi[o + c] += (a0r * v0i - a0i * v0r) + (a1r * v1i - a1i * v1r) + (a2r * v2i - a2i * v2r) + (a3r * v3i - a3i * v3r);
    }
  }
  for (; r < r1; r++) {
    const v0r = vr[vo + r], v0i = vi[vo + r];
    const p0 = r * lda;
    for (let c = c0; c < c1; c++) {
      const a0r = ar[p0 + c], a0i = ai[p0 + c];
      or[o + c] += a0r * v0r + a0i * v0i;
      oi[o + c] += a0r * v0i - a0i * v0r;
    }
  }
}

/** out[o + r] = Σ_{c∈[c0,c1)} A[r,c]·u[uo + c] for r ∈ [r0, r1); two rows per pass. */
function gemvA(
  ar: Float64Array, ai: Float64Array, lda: number, r0: number, r1: number, c0: number, c1: number,
  ur: Float64Array, ui: Float64Array, uo: number, or: Float64Array, oi: Float64Array, o: number,
): void {
  let r = r0;
  for (; r + 2 <= r1; r += 2) {
    const p0 = r * lda, p1 = p0 + lda;
    let s0r = 0, s0i = 0, s1r = 0, s1i = 0;
    for (let c = c0; c < c1; c++) {
      const xr = ur[uo + c], xi = ui[uo + c];
      const a0r = ar[p0 + c], a0i = ai[p0 + c], a1r = ar[p1 + c], a1i = ai[p1 + c];
      s0r += a0r * xr - a0i * xi; s0i += a0r * xi + a0i * xr;
      s1r += a1r * xr - a1i * xi; s1i += a1r * xi + a1i * xr;
    }
    or[o + r] = s0r; oi[o + r] = s0i; or[o + r + 1] = s1r; oi[o + r + 1] = s1i;
  }
  for (; r < r1; r++) {
    const p0 = r * lda;
    let s0r = 0, s0i = 0;
    for (let c = c0; c < c1; c++) {
      const xr = ur[uo + c], xi = ui[uo + c];
      const a0r = ar[p0 + c], a0i = ai[p0 + c];
      s0r += a0r * xr - a0i * xi; s0i += a0r * xi + a0i * xr;
    }
    or[o + r] = s0r; oi[o + r] = s0i;
  }
}
