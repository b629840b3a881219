// SVD of a real upper-bidiagonal matrix by implicit-shift QR iteration — a port of LAPACK's DBDSQR
// (Demmel–Kahan: zero-shift sweeps when a shift would destroy relative accuracy, convergence tests
// that keep tiny singular values accurate, bulge chased in the direction of decreasing |d|).
//
// B = W·diag(σ)·Zᵀ. Rotations are accumulated into two row-major matrices whose ROWS are rotated:
// `vt` holds Zᵀ (right rotations) and `ut` holds Wᵀ (left rotations, i.e. U stored transposed), so
// every rotation touches two contiguous rows.

const EPS = 2 ** -53; // LAPACK dlamch('Epsilon'): unit roundoff
const SAFMIN = 2 ** -1022;
const TOL = Math.max(10, Math.min(100, EPS ** -0.125)) * EPS;
const MAXITR = 6;

/** A row-major matrix whose rows receive the rotations. */
interface RowSet { x: Float64Array; ncols: number }

// Scratch for the small 2×2 helpers (avoids allocating a result object per call).
const out2 = new Float64Array(6);

/**
 * In place: on return d holds the singular values sorted descending (≥ 0), e is destroyed, and the
 * rows of vt (n×ncvt) and ut (n×nru) have been rotated/permuted accordingly. Either may be null.
 */
export function bdsqr(n: number, d: Float64Array, e: Float64Array, vt: Float64Array | null, ncvt: number, ut: Float64Array | null, nru: number): void {
  if (n === 0) return;
  const V: RowSet | null = vt && ncvt > 0 ? { x: vt, ncols: ncvt } : null;
  const U: RowSet | null = ut && nru > 0 ? { x: ut, ncols: nru } : null;
  if (n > 1) qrIterate(n, d, e, V, U);
  // Make singular values non-negative (flip the matching right vector).
  for (let i = 0; i < n; i++) {
    if (d[i] < 0) {
      d[i] = -d[i];
      if (V) scaleRow(V, i, -1);
    }
  }
  // Selection sort into decreasing order: at most n−1 row swaps.
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    for (let j = i + 1; j < n; j++) if (d[j] > d[k]) k = j;
    if (k !== i) {
      const t = d[i]; d[i] = d[k]; d[k] = t;
      if (V) swapRows(V, i, k);
      if (U) swapRows(U, i, k);
    }
  }
}

function qrIterate(n: number, d0: Float64Array, e0: Float64Array, V: RowSet | null, U: RowSet | null): void {
  // 1-based copies keep the translation from the Fortran reference auditable.
  const D = new Float64Array(n + 1), E = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) D[i + 1] = d0[i];
  for (let i = 0; i < n - 1; i++) E[i + 1] = e0[i];
  // Rotation buffers, 1-based by rotation index j = 1..(block size − 1).
  const c1 = new Float64Array(n + 1), s1 = new Float64Array(n + 1);
  const c2 = new Float64Array(n + 1), s2 = new Float64Array(n + 1);

  // Relative-accuracy threshold from a lower bound on the smallest singular value.
  let sminoa = Math.abs(D[1]);
  if (sminoa !== 0) {
    let mu = sminoa;
    for (let i = 2; i <= n; i++) {
      mu = Math.abs(D[i]) * (mu / (mu + Math.abs(E[i - 1])));
      sminoa = Math.min(sminoa, mu);
      if (sminoa === 0) break;
    }
  }
  sminoa /= Math.sqrt(n);
  const thresh = Math.max(TOL * sminoa, MAXITR * n * n * SAFMIN);

  const maxit = MAXITR * n * n;
  let iter = 0, oldll = -1, oldm = -1, idir = 0;
  let m = n;
  outer: while (m > 1) {
    if (iter > maxit) throw new Error('csvd: bidiagonal QR iteration did not converge');
    // Find the bottom unreduced block D[ll..m].
    let smax = Math.abs(D[m]);
    let ll = 0;
    let split = false;
    for (let lll = 1; lll <= m - 1; lll++) {
      ll = m - lll;
      const abss = Math.abs(D[ll]), abse = Math.abs(E[ll]);
      if (abse <= thresh) { split = true; break; }
      if (abss > smax) smax = abss;
      if (abse > smax) smax = abse;
    }
    if (split) {
      E[ll] = 0;
      if (ll === m - 1) { m -= 1; continue; } // bottom value converged
    } else {
      ll = 0;
    }
    ll += 1;
    if (ll === m - 1) {
      // 2×2 block: solve directly.
      dlasv2(D[m - 1], E[m - 1], D[m]);
      const sigmn = out2[0], sigmx = out2[1], sinr = out2[2], cosr = out2[3], sinl = out2[4], cosl = out2[5];
      D[m - 1] = sigmx; E[m - 1] = 0; D[m] = sigmn;
      if (V) rotPair(V, m - 2, cosr, sinr);
      if (U) rotPair(U, m - 2, cosl, sinl);
      m -= 2;
      continue;
    }
    // New block: chase the bulge toward the smaller end.
    if (ll > oldm || m < oldll) idir = Math.abs(D[ll]) >= Math.abs(D[m]) ? 1 : 2;

    // Convergence tests.
    let sminl: number;
    if (idir === 1) {
      if (Math.abs(E[m - 1]) <= TOL * Math.abs(D[m])) { E[m - 1] = 0; continue; }
      let mu = Math.abs(D[ll]);
      sminl = mu;
      for (let l = ll; l <= m - 1; l++) {
        if (Math.abs(E[l]) <= TOL * mu) { E[l] = 0; continue outer; }
        mu = Math.abs(D[l + 1]) * (mu / (mu + Math.abs(E[l])));
        if (mu < sminl) sminl = mu;
      }
    } else {
      if (Math.abs(E[ll]) <= TOL * Math.abs(D[ll])) { E[ll] = 0; continue; }
      let mu = Math.abs(D[m]);
      sminl = mu;
      for (let l = m - 1; l >= ll; l--) {
        if (Math.abs(E[l]) <= TOL * mu) { E[l] = 0; continue outer; }
        mu = Math.abs(D[l]) * (mu / (mu + Math.abs(E[l])));
        if (mu < sminl) sminl = mu;
      }
    }
    oldll = ll; oldm = m;

    // Shift: zero if it would ruin relative accuracy, else the smaller value of the end 2×2.
    let shift = 0;
    if (!(n * TOL * (sminl / smax) <= Math.max(EPS, 0.01 * TOL))) {
      let sll: number;
      if (idir === 1) { sll = Math.abs(D[ll]); shift = dlas2(D[m - 1], E[m - 1], D[m]); }
      else { sll = Math.abs(D[m]); shift = dlas2(D[ll], E[ll], D[ll + 1]); }
      if (sll > 0 && (shift / sll) * (shift / sll) < EPS) shift = 0;
    }
    iter += m - ll;
    const nrot = m - ll;

    if (shift === 0) {
      if (idir === 1) {
        let cs = 1, oldcs = 1, oldsn = 0;
        for (let i = ll; i <= m - 1; i++) {
          dlartg(D[i] * cs, E[i]); const r = out2[2]; cs = out2[0]; const sn = out2[1];
          if (i > ll) E[i - 1] = oldsn * r;
          dlartg(oldcs * r, D[i + 1] * sn); D[i] = out2[2]; oldcs = out2[0]; oldsn = out2[1];
          const j = i - ll + 1;
          c1[j] = cs; s1[j] = sn; c2[j] = oldcs; s2[j] = oldsn;
        }
        const h = D[m] * cs;
        D[m] = h * oldcs; E[m - 1] = h * oldsn;
        if (V) rotForward(V, ll - 1, nrot, c1, s1);
        if (U) rotForward(U, ll - 1, nrot, c2, s2);
        if (Math.abs(E[m - 1]) <= thresh) E[m - 1] = 0;
      } else {
        let cs = 1, oldcs = 1, oldsn = 0;
        for (let i = m; i >= ll + 1; i--) {
          dlartg(D[i] * cs, E[i - 1]); const r = out2[2]; cs = out2[0]; const sn = out2[1];
          if (i < m) E[i] = oldsn * r;
          dlartg(oldcs * r, D[i - 1] * sn); D[i] = out2[2]; oldcs = out2[0]; oldsn = out2[1];
          const j = i - ll;
          c1[j] = cs; s1[j] = -sn; c2[j] = oldcs; s2[j] = -oldsn;
        }
        const h = D[ll] * cs;
        D[ll] = h * oldcs; E[ll] = h * oldsn;
        if (V) rotBackward(V, ll - 1, nrot, c2, s2);
        if (U) rotBackward(U, ll - 1, nrot, c1, s1);
        if (Math.abs(E[ll]) <= thresh) E[ll] = 0;
      }
    } else if (idir === 1) {
      // (|d| − σ)(sign(d) + σ/d): first column of BᵀB − σ², scaled, as in DBDSQR.
      let f = (Math.abs(D[ll]) - shift) * ((D[ll] >= 0 ? 1 : -1) + shift / D[ll]);
      let g = E[ll];
      for (let i = ll; i <= m - 1; i++) {
        dlartg(f, g); let r = out2[2]; const cosr = out2[0], sinr = out2[1];
        if (i > ll) E[i - 1] = r;
        f = cosr * D[i] + sinr * E[i];
        E[i] = cosr * E[i] - sinr * D[i];
        g = sinr * D[i + 1];
        D[i + 1] = cosr * D[i + 1];
        dlartg(f, g); r = out2[2]; const cosl = out2[0], sinl = out2[1];
        D[i] = r;
        f = cosl * E[i] + sinl * D[i + 1];
        D[i + 1] = cosl * D[i + 1] - sinl * E[i];
        if (i < m - 1) {
          g = sinl * E[i + 1];
          E[i + 1] = cosl * E[i + 1];
        }
        const j = i - ll + 1;
        c1[j] = cosr; s1[j] = sinr; c2[j] = cosl; s2[j] = sinl;
      }
      E[m - 1] = f;
      if (V) rotForward(V, ll - 1, nrot, c1, s1);
      if (U) rotForward(U, ll - 1, nrot, c2, s2);
      if (Math.abs(E[m - 1]) <= thresh) E[m - 1] = 0;
    } else {
      let f = (Math.abs(D[m]) - shift) * ((D[m] >= 0 ? 1 : -1) + shift / D[m]);
      let g = E[m - 1];
      for (let i = m; i >= ll + 1; i--) {
        dlartg(f, g); let r = out2[2]; const cosr = out2[0], sinr = out2[1];
        if (i < m) E[i] = r;
        f = cosr * D[i] + sinr * E[i - 1];
        E[i - 1] = cosr * E[i - 1] - sinr * D[i];
        g = sinr * D[i - 1];
        D[i - 1] = cosr * D[i - 1];
        dlartg(f, g); r = out2[2]; const cosl = out2[0], sinl = out2[1];
        D[i] = r;
        f = cosl * E[i - 1] + sinl * D[i - 1];
        D[i - 1] = cosl * D[i - 1] - sinl * E[i - 1];
        if (i > ll + 1) {
          g = sinl * E[i - 2];
          E[i - 2] = cosl * E[i - 2];
        }
        const j = i - ll;
        c1[j] = cosr; s1[j] = -sinr; c2[j] = cosl; s2[j] = -sinl;
      }
      E[ll] = f;
      if (Math.abs(E[ll]) <= thresh) E[ll] = 0;
      if (V) rotBackward(V, ll - 1, nrot, c2, s2);
      if (U) rotBackward(U, ll - 1, nrot, c1, s1);
    }
  }
  for (let i = 0; i < n; i++) d0[i] = D[i + 1];
}

// ---- rotations on row pairs: row_a' = c·row_a + s·row_b, row_b' = c·row_b − s·row_a ----

function rotPair(R: RowSet, row: number, c: number, s: number): void {
  const x = R.x, nc = R.ncols, p = row * nc, q = p + nc;
  for (let t = 0; t < nc; t++) {
    const a = x[p + t], b = x[q + t];
    x[p + t] = c * a + s * b;
    x[q + t] = c * b - s * a;
  }
}

// A sweep's rotations are applied strip by strip (4 columns at a time) with the row being chased
// carried in registers: one load + one store per element per rotation instead of two of each,
// and the strip's rows stay in L1. This is LAPACK DLASR's access pattern turned cache-friendly
// for row-major storage.

/** Rotations j = 1..nrot (1-based buffers) on rows (row0 + j − 1, row0 + j), in increasing j. */
function rotForward(R: RowSet, row0: number, nrot: number, c: Float64Array, s: Float64Array): void {
  const x = R.x, nc = R.ncols;
  const nc4 = nc - (nc & 3);
  const base = row0 * nc;
  let t = 0;
  for (; t < nc4; t += 4) {
    let p = base + t;
    let a0 = x[p], a1 = x[p + 1], a2 = x[p + 2], a3 = x[p + 3];
    for (let j = 1; j <= nrot; j++) {
      const cj = c[j], sj = s[j];
      const q = p + nc;
      const b0 = x[q], b1 = x[q + 1], b2 = x[q + 2], b3 = x[q + 3];
      x[p] = cj * a0 + sj * b0; x[p + 1] = cj * a1 + sj * b1;
      x[p + 2] = cj * a2 + sj * b2; x[p + 3] = cj * a3 + sj * b3;
      a0 = cj * b0 - sj * a0; a1 = cj * b1 - sj * a1;
      a2 = cj * b2 - sj * a2; a3 = cj * b3 - sj * a3;
      p = q;
    }
    x[p] = a0; x[p + 1] = a1; x[p + 2] = a2; x[p + 3] = a3;
  }
  for (; t < nc; t++) {
    let p = base + t;
    let a = x[p];
    for (let j = 1; j <= nrot; j++) {
      const q = p + nc, b = x[q];
      x[p] = c[j] * a + s[j] * b;
      a = c[j] * b - s[j] * a;
      p = q;
    }
    x[p] = a;
  }
}

/** Same rotations in decreasing j (the lower row is carried upward). */
function rotBackward(R: RowSet, row0: number, nrot: number, c: Float64Array, s: Float64Array): void {
  const x = R.x, nc = R.ncols;
  const nc4 = nc - (nc & 3);
  const top = (row0 + nrot) * nc;
  let t = 0;
  for (; t < nc4; t += 4) {
    let q = top + t;
    let b0 = x[q], b1 = x[q + 1], b2 = x[q + 2], b3 = x[q + 3];
    for (let j = nrot; j >= 1; j--) {
      const cj = c[j], sj = s[j];
      const p = q - nc;
      const a0 = x[p], a1 = x[p + 1], a2 = x[p + 2], a3 = x[p + 3];
      x[q] = cj * b0 - sj * a0; x[q + 1] = cj * b1 - sj * a1;
      x[q + 2] = cj * b2 - sj * a2; x[q + 3] = cj * b3 - sj * a3;
      b0 = cj * a0 + sj * b0; b1 = cj * a1 + sj * b1;
      b2 = cj * a2 + sj * b2; b3 = cj * a3 + sj * b3;
      q = p;
    }
    x[q] = b0; x[q + 1] = b1; x[q + 2] = b2; x[q + 3] = b3;
  }
  for (; t < nc; t++) {
    let q = top + t;
    let b = x[q];
    for (let j = nrot; j >= 1; j--) {
      const p = q - nc, a = x[p];
      x[q] = c[j] * b - s[j] * a;
      b = c[j] * a + s[j] * b;
      q = p;
    }
    x[q] = b;
  }
}

function scaleRow(R: RowSet, row: number, f: number): void {
  const x = R.x, nc = R.ncols, p = row * nc;
  for (let t = 0; t < nc; t++) x[p + t] *= f;
}

function swapRows(R: RowSet, a: number, b: number): void {
  const x = R.x, nc = R.ncols, p = a * nc, q = b * nc;
  for (let t = 0; t < nc; t++) { const v = x[p + t]; x[p + t] = x[q + t]; x[q + t] = v; }
}

// ---- 2×2 helpers (LAPACK DLARTG, DLAS2, DLASV2) ----

const RTMIN = Math.sqrt(SAFMIN);
const RTMAX = Math.sqrt(1 / SAFMIN / 2);

/**
 * Plane rotation with c·f + s·g = r, −s·f + c·g = 0: c → out2[0], s → out2[1], r → out2[2]
 * (through the scratch array rather than a return value, which optimised code would box). The
 * common case is kept tiny so it is inlined into the chase loops (a call boxes its arguments).
 */
function dlartg(f: number, g: number): void {
  const f1 = Math.abs(f), g1 = Math.abs(g);
  if (f1 > RTMIN && f1 < RTMAX && g1 > RTMIN && g1 < RTMAX) {
    const dd = Math.sqrt(f * f + g * g);
    const r = f >= 0 ? dd : -dd;
    out2[0] = f1 / dd;
    out2[1] = g / r;
    out2[2] = r;
  } else {
    dlartgRare(f, g);
  }
}

/** dlartg for zeros and extreme magnitudes. */
function dlartgRare(f: number, g: number): void {
  if (g === 0) { out2[0] = 1; out2[1] = 0; out2[2] = f; return; }
  if (f === 0) { out2[0] = 0; out2[1] = g > 0 ? 1 : -1; out2[2] = Math.abs(g); return; }
  // Scale first.
  const f1 = Math.abs(f), g1 = Math.abs(g);
  const u = Math.min(1 / SAFMIN, Math.max(SAFMIN, f1, g1));
  const fs = f / u, gs = g / u;
  const dd = Math.sqrt(fs * fs + gs * gs);
  out2[0] = Math.abs(fs) / dd;
  const rs = f >= 0 ? dd : -dd;
  out2[1] = gs / rs;
  out2[2] = rs * u;
}

/** Smaller singular value of [[f, g], [0, h]]. */
function dlas2(f: number, g: number, h: number): number {
  const fa = Math.abs(f), ga = Math.abs(g), ha = Math.abs(h);
  const fhmn = Math.min(fa, ha), fhmx = Math.max(fa, ha);
  if (fhmn === 0) return 0;
  if (ga < fhmx) {
    const as = 1 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx, au = (ga / fhmx) ** 2;
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    return fhmn * c;
  }
  const au = fhmx / ga;
  if (au === 0) return (fhmn * fhmx) / ga;
  const as = 1 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx;
  const c = 1 / (Math.sqrt(1 + (as * au) ** 2) + Math.sqrt(1 + (at * au) ** 2));
  return 2 * (fhmn * c) * au;
}

/** Fortran SIGN(a, b): |a| with the sign of b. */
function sign(a: number, b: number): number {
  return b >= 0 ? Math.abs(a) : -Math.abs(a);
}

/**
 * SVD of [[f, g], [0, h]]: out2 = [ssmin, ssmax, snr, csr, snl, csl] (signed singular values) with
 * [csl snl; −snl csl]·[[f, g], [0, h]]·[csr −snr; snr csr] = diag(ssmax, ssmin).
 */
function dlasv2(f: number, g: number, h: number): void {
  let ft = f, fa = Math.abs(ft), ht = h, ha = Math.abs(h);
  let pmax = 1;
  const swap = ha > fa;
  if (swap) {
    pmax = 3;
    let t = ft; ft = ht; ht = t;
    t = fa; fa = ha; ha = t;
  }
  const gt = g, ga = Math.abs(gt);
  let ssmin: number, ssmax: number, clt: number, crt: number, slt: number, srt: number;
  if (ga === 0) {
    ssmin = ha; ssmax = fa; clt = 1; crt = 1; slt = 0; srt = 0;
  } else {
    let gasmal = true;
    ssmin = 0; ssmax = 0; clt = 1; crt = 1; slt = 0; srt = 0;
    if (ga > fa) {
      pmax = 2;
      if (fa / ga < EPS) {
        gasmal = false;
        ssmax = ga;
        ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
        clt = 1; slt = ht / gt; srt = 1; crt = ft / gt;
      }
    }
    if (gasmal) {
      const dd = fa - ha;
      let l = dd === fa ? 1 : dd / fa;
      const mm0 = gt / ft;
      let t = 2 - l;
      const mm = mm0 * mm0, tt = t * t;
      const s = Math.sqrt(tt + mm);
      const r = l === 0 ? Math.abs(mm0) : Math.sqrt(l * l + mm);
      const a = 0.5 * (s + r);
      ssmin = ha / a; ssmax = fa * a;
      if (mm === 0) {
        t = l === 0 ? sign(2, ft) * sign(1, gt) : gt / sign(dd, ft) + mm0 / t;
      } else {
        t = (mm0 / (s + t) + mm0 / (r + l)) * (1 + a);
      }
      l = Math.sqrt(t * t + 4);
      crt = 2 / l; srt = t / l;
      clt = (crt + srt * mm0) / a;
      slt = (ht / ft) * srt / a;
    }
  }
  let csl: number, snl: number, csr: number, snr: number;
  if (swap) { csl = srt; snl = crt; csr = slt; snr = clt; }
  else { csl = clt; snl = slt; csr = crt; snr = srt; }
  let tsign: number;
  if (pmax === 1) tsign = sign(1, csr) * sign(1, csl) * sign(1, f);
  else if (pmax === 2) tsign = sign(1, snr) * sign(1, csl) * sign(1, g);
  else tsign = sign(1, snr) * sign(1, snl) * sign(1, h);
  ssmax = sign(ssmax, tsign);
  ssmin = sign(ssmin, tsign * sign(1, f) * sign(1, h));
  out2[0] = ssmin; out2[1] = ssmax; out2[2] = snr; out2[3] = csr; out2[4] = snl; out2[5] = csl;
}
