// Environments of one circuit layer between two MPSs: for f = ⟨bra| L |ket⟩ with L a layer of
// gates on disjoint sites (two-qubit blocks on bonds (q, q+1), or one-qubit gates), the
// environment of gate g is the matrix E_g with f = Σ_{s',s} E_g[s', s] · G_g[s', s] — so
// ∂f/∂G_g = E_g. One left and one right sweep give every gate's environment: O(n·χ³).
import type { Mat2, Mat4 } from '../circuit/gates';
import { type CMatrix, cidentity, cmatmul } from '../linalg';
import { asLeftMatrix, asRightMatrix } from '../mps';
import { leftTransfer, rightTransfer } from '../mps';
import type { Mps, SiteTensor } from '../mps';

/** A gate of the layer: a 2×2 on `site`, or a 4×4 on (site, site+1) in the basis 2·b(site) + b(site+1). */
export interface LayerGate {
  readonly site: number;
  readonly width: 1 | 2;
  readonly u: Mat2 | Mat4;
}

export interface LayerEnvironments {
  /** f = ⟨bra|L|ket⟩. */
  value: { re: number; im: number };
  /** E_g for every gate, in the order given: 2×2 or 4×4, interleaved re/im. */
  envs: Float64Array[];
}

/** θ[a, s1, s2, r] = Σ_k ket_q[a, s1, k] ket_{q+1}[k, s2, r], as a (2·left) × (2·right) matrix. */
function twoSite(t0: SiteTensor, t1: SiteTensor): CMatrix {
  return cmatmul(asLeftMatrix(t0), asRightMatrix(t1)); // [(a s1), (s2 r)]
}

/** In place on θ[(a s1), (s2 r)]: applies a 4×4 to the (s1, s2) pair. */
function applyPair(th: CMatrix, left: number, right: number, u: Mat4): void {
  const { re, im } = th;
  const cols = 2 * right;
  const vr = new Float64Array(4), vi = new Float64Array(4);
  for (let a = 0; a < left; a++) {
    for (let r = 0; r < right; r++) {
      // the four entries (s1, s2) for this (a, r)
      for (let s1 = 0; s1 < 2; s1++) for (let s2 = 0; s2 < 2; s2++) {
        const idx = (2 * a + s1) * cols + s2 * right + r;
        vr[2 * s1 + s2] = re[idx]; vi[2 * s1 + s2] = im[idx];
      }
      for (let o = 0; o < 4; o++) {
        let sr = 0, si = 0;
        for (let k = 0; k < 4; k++) {
          const ur = u[(o * 4 + k) * 2], ui = u[(o * 4 + k) * 2 + 1];
          sr += ur * vr[k] - ui * vi[k];
          si += ur * vi[k] + ui * vr[k];
        }
        const idx = (2 * a + (o >> 1)) * cols + (o & 1) * right + r;
        re[idx] = sr; im[idx] = si;
      }
    }
  }
}

/** E'[ra, rb] for a two-site step of the left sweep with gate u between bra and ket. */
function leftTransfer2(E: CMatrix, b0: SiteTensor, b1: SiteTensor, k0: SiteTensor, k1: SiteTensor, u: Mat4): CMatrix {
  // T = E · θ_ket : [a, (s1 s2 r)] viewed as [(a s1), (s2 r)]
  const th = twoSite(k0, k1);
  const T = cmatmul(E, { rows: k0.left, cols: 4 * k1.right, re: th.re, im: th.im });
  applyPair({ rows: 2 * b0.left, cols: 2 * k1.right, re: T.re, im: T.im }, b0.left, k1.right, u);
  // X[m, (s2 r)] = Σ_{a,s1} conj(bra0[(a s1), m]) T[(a s1), (s2 r)]
  const X = cmatmul(asLeftMatrix(b0), { rows: 2 * b0.left, cols: 2 * k1.right, re: T.re, im: T.im }, 'C', 'N');
  // E'[ra, r] = Σ_{m,s2} conj(bra1[(m s2), ra]) X[(m s2), r]
  return cmatmul(asLeftMatrix(b1), { rows: 2 * b1.left, cols: k1.right, re: X.re, im: X.im }, 'C', 'N');
}

/** F'[la, lb] for a two-site step of the right sweep with gate u. */
function rightTransfer2(F: CMatrix, b0: SiteTensor, b1: SiteTensor, k0: SiteTensor, k1: SiteTensor, u: Mat4): CMatrix {
  const th = twoSite(k0, k1); // [(lb s1), (s2 rb)]
  // T[(lb s1 s2), ra] = θ · Fᵀ
  const T = cmatmul({ rows: 4 * k0.left, cols: k1.right, re: th.re, im: th.im }, F, 'N', 'T');
  // as [(lb s1), (s2 ra)] with right = b1.right
  applyPair({ rows: 2 * k0.left, cols: 2 * b1.right, re: T.re, im: T.im }, k0.left, b1.right, u);
  // Y[(lb s1), m] = Σ_{s2, ra} T[(lb s1), (s2 ra)] conj(bra1[m, (s2 ra)])
  const Y = cmatmul({ rows: 2 * k0.left, cols: 2 * b1.right, re: T.re, im: T.im }, asRightMatrix(b1), 'N', 'C');
  // G[lb, la] = Σ_{s1, m} Y[lb, (s1 m)] conj(bra0[la, (s1 m)])
  const G = cmatmul({ rows: k0.left, cols: 2 * b0.right, re: Y.re, im: Y.im }, asRightMatrix(b0), 'N', 'C');
  return transpose(G);
}

function transpose(A: CMatrix): CMatrix {
  const re = new Float64Array(A.re.length), im = new Float64Array(A.im.length);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) {
    re[j * A.rows + i] = A.re[i * A.cols + j];
    im[j * A.rows + i] = A.im[i * A.cols + j];
  }
  return { rows: A.cols, cols: A.rows, re, im };
}

/** The 4×4 environment of a block on (q, q+1) from its left env L and right env R. */
function blockEnv(L: CMatrix, R: CMatrix, b0: SiteTensor, b1: SiteTensor, k0: SiteTensor, k1: SiteTensor): Float64Array {
  const th = twoSite(k0, k1);
  // K[(b s1), (s2 rb)] → M[a, (s1 s2 rb)] = L · θ
  const M = cmatmul(L, { rows: k0.left, cols: 4 * k1.right, re: th.re, im: th.im });
  // N[(a s1 s2), ra] = M · Rᵀ
  const N = cmatmul({ rows: 4 * b0.left, cols: k1.right, re: M.re, im: M.im }, R, 'N', 'T');
  const bb = twoSite(b0, b1); // [(a s1'), (s2' ra)]
  const A = b0.left, Ra = b1.right;
  const out = new Float64Array(32);
  for (let a = 0; a < A; a++) {
    for (let ra = 0; ra < Ra; ra++) {
      for (let sp = 0; sp < 4; sp++) {
        const bi = (2 * a + (sp >> 1)) * (2 * Ra) + (sp & 1) * Ra + ra;
        const br = bb.re[bi], bim = -bb.im[bi]; // conj(bra)
        if (br === 0 && bim === 0) continue;
        for (let s = 0; s < 4; s++) {
          const ni = (a * 4 + s) * Ra + ra;
          const nr = N.re[ni], nim = N.im[ni];
          out[(sp * 4 + s) * 2] += br * nr - bim * nim;
          out[(sp * 4 + s) * 2 + 1] += br * nim + bim * nr;
        }
      }
    }
  }
  return out;
}

/** The 2×2 environment of a one-qubit gate on site q. */
function siteEnv(L: CMatrix, R: CMatrix, b: SiteTensor, k: SiteTensor): Float64Array {
  // M[a, (s rb)] = L · ket; N[(a s), ra] = M · Rᵀ
  const M = cmatmul(L, asRightMatrix(k));
  const N = cmatmul({ rows: 2 * b.left, cols: k.right, re: M.re, im: M.im }, R, 'N', 'T');
  const out = new Float64Array(8);
  for (let a = 0; a < b.left; a++) for (let ra = 0; ra < b.right; ra++) for (let sp = 0; sp < 2; sp++) {
    const bi = (2 * a + sp) * b.right + ra;
    const br = b.re[bi], bim = -b.im[bi];
    for (let s = 0; s < 2; s++) {
      const ni = (2 * a + s) * b.right + ra;
      const nr = N.re[ni], nim = N.im[ni];
      out[(sp * 2 + s) * 2] += br * nr - bim * nim;
      out[(sp * 2 + s) * 2 + 1] += br * nim + bim * nr;
    }
  }
  return out;
}

/**
 * Every gate's environment for f = ⟨bra| L |ket⟩, where L is `gates` (disjoint, sorted by site)
 * and the identity elsewhere.
 */
export function layerEnvironments(bra: Mps, ket: Mps, gates: readonly LayerGate[]): LayerEnvironments {
  const n = bra.n;
  const at = new Array<LayerGate | undefined>(n);
  for (const g of gates) at[g.site] = g;
  // Left sweep: lefts[i] = environment of sites < i.
  const lefts: CMatrix[] = new Array(n + 1);
  let E = cidentity(1);
  for (let i = 0; i < n;) {
    lefts[i] = E;
    const g = at[i];
    if (g && g.width === 2) {
      E = leftTransfer2(E, bra.sites[i], bra.sites[i + 1], ket.sites[i], ket.sites[i + 1], g.u);
      i += 2;
    } else {
      E = leftTransfer(E, bra.sites[i], ket.sites[i], g ? g.u : undefined);
      i += 1;
    }
  }
  const value = { re: E.re[0], im: E.im[0] };
  // Right sweep: rights[i] = environment of sites ≥ i; gates start at sites where lefts is set.
  const rights: CMatrix[] = new Array(n + 1);
  let F = cidentity(1);
  rights[n] = F;
  const starts: number[] = [];
  for (let i = 0; i < n;) { starts.push(i); i += at[i]?.width === 2 ? 2 : 1; }
  for (let k = starts.length - 1; k >= 0; k--) {
    const i = starts[k];
    const g = at[i];
    if (g && g.width === 2) F = rightTransfer2(F, bra.sites[i], bra.sites[i + 1], ket.sites[i], ket.sites[i + 1], g.u);
    else F = rightTransfer(F, bra.sites[i], ket.sites[i], g ? g.u : undefined);
    rights[i] = F;
  }
  const envs = gates.map((g) => g.width === 2
    ? blockEnv(lefts[g.site], rights[g.site + 2], bra.sites[g.site], bra.sites[g.site + 1], ket.sites[g.site], ket.sites[g.site + 1])
    : siteEnv(lefts[g.site], rights[g.site + 1], bra.sites[g.site], ket.sites[g.site]));
  return { value, envs };
}
