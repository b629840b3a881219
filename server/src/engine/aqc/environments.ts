// Environments of one circuit layer between two MPSs: for f = ⟨bra| L |ket⟩ with L a layer of
// gates on disjoint sites (two-qubit blocks on bonds (q, q+1), or one-qubit gates), the
// environment of gate g is the matrix E_g with f = Σ_{s',s} E_g[s', s] · G_g[s', s] — so
// ∂f/∂G_g = E_g. One left and one right sweep give every gate's environment: O(n·χ³).
//
// Contraction order. Each transfer step contracts the bra side first:
//   left:  Q[b, s', ra] = Σ_{a,m} E[a,b]·conj(bra_q[a,s1',m])·conj(bra_{q+1}[m,s2',ra])
//          E'[ra, rb]   = Σ_{b,s',s} Q[b,s',ra]·u[s',s]·θ[b,s,rb]      (θ = ket_q·ket_{q+1})
//   right: the mirror image, F'[a, b] = Σ Q[a,s',rb]·u[s',s]·θ[b,s,rb].
// The gate acts on a 4-index of Q only, so Q before the gate is exactly what the block's
// environment needs: E_g[s', s] = Σ_{b,ra} Q[b,s',ra]·(θ·Rᵀ)[b,s,ra] with R the right environment.
// Compared with contracting the ket first this saves forming the bra's two-site tensor (the
// cost when the bra, here the target side, has the larger bond dimension), and every product is
// one call of the gemm kernel on views of preallocated buffers (transposed/conjugated operands
// are read in place), so a sweep allocates nothing but its results.
import type { Mat2, Mat4 } from '../circuit/gates';
import { gemmStrided } from '../linalg/gemm';
import { Scratch } from '../linalg/scratch';
import { applyOp2, applyOp4 } from '../mps/local-ops';
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

/** A complex buffer (views into the arena or scratch). */
interface Buf { re: Float64Array; im: Float64Array }

/**
 * Bump allocator for the intermediates one call keeps (environments, the left sweep's Q and θ per
 * gate), sized exactly per call. A buffer above ARENA_RETAIN doubles is dropped after the call.
 */
class Arena {
  private buf = new Float64Array(0);
  private cur = 0;
  begin(doubles: number): void {
    this.cur = 0;
    if (this.buf.length < doubles) this.buf = new Float64Array(doubles);
  }
  end(retain: number): void {
    if (this.buf.length > retain) this.buf = new Float64Array(0);
  }
  take(n: number): Buf {
    const o = this.cur;
    if (o + 2 * n > this.buf.length) throw new Error('layerEnvironments: arena size miscounted');
    this.cur += 2 * n;
    return { re: this.buf.subarray(o, o + n), im: this.buf.subarray(o + n, o + 2 * n) };
  }
}

const arena = new Arena();
/** Arena kept between calls: 4 MiB (a 100-qubit layer at χ = 32 needs about 8). */
const ARENA_RETAIN = 1 << 19;
const scratch = new Scratch();
/** The 4×4 (or 2×2) actually applied to the Q index: uᵀ, or uᴴ on conjugated data. */
const gateOp = new Float64Array(32);

function tmp(slot: number, n: number): Buf {
  return { re: scratch.get(2 * slot, n), im: scratch.get(2 * slot + 1, n) };
}

/** gateOp ← uᵀ (conjugated: uᴴ) for a d×d interleaved u. */
function setGateOp(u: Float64Array, d: number, conj: boolean): void {
  const s = conj ? -1 : 1;
  for (let o = 0; o < d; o++) for (let k = 0; k < d; k++) {
    gateOp[2 * (o * d + k)] = u[2 * (k * d + o)];
    gateOp[2 * (o * d + k) + 1] = s * u[2 * (k * d + o) + 1];
  }
}

/** dst[x, o, y] = Σ_k gateOp[o, k]·src[x, k, y] for the d = 4 (or 2) index in the middle. */
function mix4(src: Buf, dst: Buf, X: number, Y: number): void {
  applyOp4(src.re, src.im, dst.re, dst.im, X, Y, gateOp);
}

function mix2(src: Buf, dst: Buf, X: number, Y: number): void {
  applyOp2(src.re, src.im, dst.re, dst.im, X, Y, gateOp);
}

/** dst (cols × rows) ← srcᵀ for a row-major rows × cols src. */
function transposeInto(src: Buf, rows: number, cols: number, dst: Buf): void {
  const sr = src.re, si = src.im, dr = dst.re, di = dst.im;
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) { dr[j * rows + i] = sr[o + j]; di[j * rows + i] = si[o + j]; }
  }
}

/** What the left sweep keeps per gate for the environments. */
interface Kept {
  /** conj(Q) (before the gate), [(b s'), ra] with s' of size 2 or 4. */
  qbar: Buf;
  /** The ket tensor(s): θ = ket_q·ket_{q+1} for blocks, ket_q itself for one-qubit gates, [(b s), rb]. */
  theta: Buf;
}

/**
 * One left step over `w` sites at i (w = 1 or 2) with optional gate u: E (χa × χb) → E' (χra × χrb).
 * With `keep`, conj(Q) and θ are kept in the arena for the gate's environment.
 */
function leftStep(E: Buf, bra: SiteTensor[], ket: SiteTensor[], i: number, w: 1 | 2, u: Float64Array | undefined, keep: boolean): { E: Buf; kept?: Kept } {
  const b0 = bra[i], k0 = ket[i];
  const chiA = b0.left, chiB = k0.left;
  const bl = bra[i + w - 1], kl = ket[i + w - 1];
  const chiRa = bl.right, chiRb = kl.right;
  const d = w === 2 ? 4 : 2;
  // conj(P)[b, (s1' m)] = Σ_a conj(E[a, b])·bra_q[a, (s1' m)] = Eᴴ·bra_q
  const chiMa = b0.right;
  let qbar: Buf;
  if (w === 1) {
    qbar = keep ? arena.take(2 * chiB * chiRa) : tmp(0, 2 * chiB * chiRa);
    gemmStrided(chiB, 2 * chiMa, chiA, 1, E.re, E.im, 0, 1, chiB, true, b0.re, b0.im, 0, 2 * chiMa, qbar.re, qbar.im, 0, 2 * chiMa, false);
  } else {
    const P = tmp(0, 2 * chiB * chiMa);
    gemmStrided(chiB, 2 * chiMa, chiA, 1, E.re, E.im, 0, 1, chiB, true, b0.re, b0.im, 0, 2 * chiMa, P.re, P.im, 0, 2 * chiMa, false);
    // conj(Q)[(b s1'), (s2' ra)] = conj(P)[(b s1'), m]·bra_{q+1}[m, (s2' ra)]
    const b1 = bra[i + 1];
    qbar = keep ? arena.take(4 * chiB * chiRa) : tmp(1, 4 * chiB * chiRa);
    gemmStrided(2 * chiB, 2 * chiRa, chiMa, 1, P.re, P.im, 0, chiMa, 1, false, b1.re, b1.im, 0, 2 * chiRa, qbar.re, qbar.im, 0, 2 * chiRa, false);
  }
  // θ[(b s), rb]
  let theta: Buf;
  if (w === 1) theta = { re: k0.re, im: k0.im };
  else {
    const k1 = ket[i + 1], chiMb = k0.right;
    theta = keep ? arena.take(4 * chiB * chiRb) : tmp(2, 4 * chiB * chiRb);
    gemmStrided(2 * chiB, 2 * chiRb, chiMb, 1, k0.re, k0.im, 0, chiMb, 1, false, k1.re, k1.im, 0, 2 * chiRb, theta.re, theta.im, 0, 2 * chiRb, false);
  }
  // conj(Q') = uᴴ acting on the s' index of conj(Q); then E' = conj(Q')ᴴ·θ over (b s).
  let qg = qbar;
  if (u) {
    setGateOp(u, d, true);
    qg = tmp(3, d * chiB * chiRa);
    if (d === 4) mix4(qbar, qg, chiB, chiRa); else mix2(qbar, qg, chiB, chiRa);
  }
  const out = arena.take(chiRa * chiRb);
  gemmStrided(chiRa, chiRb, d * chiB, 1, qg.re, qg.im, 0, 1, chiRa, true, theta.re, theta.im, 0, chiRb, out.re, out.im, 0, chiRb, false);
  return { E: out, kept: keep ? { qbar, theta } : undefined };
}

/**
 * One right step over `w` sites at i: F (χra × χrb, bonds right of the sites) → F' (χa × χb).
 * θ may be passed in (the left sweep's), otherwise it is formed.
 */
function rightStep(F: Buf, bra: SiteTensor[], ket: SiteTensor[], i: number, w: 1 | 2, u: Float64Array | undefined, theta: Buf | undefined): Buf {
  const b0 = bra[i], k0 = ket[i];
  const chiA = b0.left, chiB = k0.left;
  const bl = bra[i + w - 1], kl = ket[i + w - 1];
  const chiRa = bl.right, chiRb = kl.right;
  const d = w === 2 ? 4 : 2;
  // P[(m s2'), rb] = conj(bra_last)[(m s2'), ra]·F[ra, rb]
  const chiMa = bl.left;
  const P = tmp(0, 2 * chiMa * chiRb);
  gemmStrided(2 * chiMa, chiRb, chiRa, 1, bl.re, bl.im, 0, chiRa, 1, true, F.re, F.im, 0, chiRb, P.re, P.im, 0, chiRb, false);
  let Q = P;
  if (w === 2) {
    // Q[(a s1'), (s2' rb)] = conj(bra_q)[(a s1'), m]·P[m, (s2' rb)]
    Q = tmp(1, 4 * chiA * chiRb);
    gemmStrided(2 * chiA, 2 * chiRb, chiMa, 1, b0.re, b0.im, 0, chiMa, 1, true, P.re, P.im, 0, 2 * chiRb, Q.re, Q.im, 0, 2 * chiRb, false);
  }
  let th = theta;
  if (!th) {
    if (w === 1) th = { re: k0.re, im: k0.im };
    else {
      const k1 = ket[i + 1], chiMb = k0.right;
      th = tmp(2, 4 * chiB * chiRb);
      gemmStrided(2 * chiB, 2 * chiRb, chiMb, 1, k0.re, k0.im, 0, chiMb, 1, false, k1.re, k1.im, 0, 2 * chiRb, th.re, th.im, 0, 2 * chiRb, false);
    }
  }
  // Q'[a, s, rb] = Σ_s' u[s', s]·Q[a, s', rb]
  let qg = Q;
  if (u) {
    setGateOp(u, d, false);
    qg = tmp(3, d * chiA * chiRb);
    if (d === 4) mix4(Q, qg, chiA, chiRb); else mix2(Q, qg, chiA, chiRb);
  }
  // F'[a, b] = Q'[a, (s rb)]·θ[b, (s rb)]ᵀ
  const cols = d * chiRb;
  const thT = tmp(4, cols * chiB);
  transposeInto(th, chiB, cols, thT);
  const out = arena.take(chiA * chiB);
  gemmStrided(chiA, chiB, cols, 1, qg.re, qg.im, 0, cols, 1, false, thT.re, thT.im, 0, chiB, out.re, out.im, 0, chiB, false);
  return out;
}

/** E_g[s', s] = Σ_{b,ra} Q[b,s',ra]·K[b,s,ra] with K = θ·Rᵀ (d×d, interleaved). */
function gateEnv(kept: Kept, R: Buf, chiB: number, chiRa: number, chiRb: number, d: number): Float64Array {
  const Rt = tmp(4, chiRb * chiRa);
  transposeInto(R, chiRa, chiRb, Rt);
  const K = tmp(5, d * chiB * chiRa);
  gemmStrided(d * chiB, chiRa, chiRb, 1, kept.theta.re, kept.theta.im, 0, chiRb, 1, false, Rt.re, Rt.im, 0, chiRa, K.re, K.im, 0, chiRa, false);
  const out = new Float64Array(2 * d * d);
  const qr = kept.qbar.re, qi = kept.qbar.im, kr = K.re, ki = K.im;
  for (let b = 0; b < chiB; b++) {
    for (let sp = 0; sp < d; sp++) {
      const qo = (b * d + sp) * chiRa;
      for (let s = 0; s < d; s++) {
        const ko = (b * d + s) * chiRa;
        let re = 0, im = 0;
        for (let ra = 0; ra < chiRa; ra++) {
          // conj(qbar) = Q
          const xr = qr[qo + ra], xi = -qi[qo + ra], yr = kr[ko + ra], yi = ki[ko + ra];
          re += xr * yr - xi * yi;
          im += xr * yi + xi * yr;
        }
        out[2 * (sp * d + s)] += re;
        out[2 * (sp * d + s) + 1] += im;
      }
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
  const B = bra.sites, K = ket.sites;
  arena.begin(arenaDoubles(B, K, at));
  // Left sweep, keeping what each gate's environment needs.
  const kept: Array<Kept | undefined> = new Array(n);
  const starts: number[] = [];
  let E: Buf = arena.take(1);
  E.re[0] = 1; E.im[0] = 0;
  for (let i = 0; i < n;) {
    starts.push(i);
    const g = at[i];
    const w: 1 | 2 = g && g.width === 2 ? 2 : 1;
    const r = leftStep(E, B, K, i, w, g?.u, g !== undefined);
    E = r.E;
    kept[i] = r.kept;
    i += w;
  }
  const value = { re: E.re[0], im: E.im[0] };
  // Right sweep: rights[i] = environment of sites ≥ i.
  const rights: Buf[] = new Array(n + 1);
  let F: Buf = arena.take(1);
  F.re[0] = 1; F.im[0] = 0;
  rights[n] = F;
  for (let k = starts.length - 1; k > 0; k--) {
    const i = starts[k];
    const g = at[i];
    const w: 1 | 2 = g && g.width === 2 ? 2 : 1;
    F = rightStep(F, B, K, i, w, g?.u, kept[i]?.theta);
    rights[i] = F;
  }
  const envs = gates.map((g) => {
    const w = g.width, last = g.site + w - 1;
    return gateEnv(kept[g.site] as Kept, rights[g.site + w], K[g.site].left, B[last].right, K[last].right, w === 2 ? 4 : 2);
  });
  arena.end(ARENA_RETAIN);
  return { value, envs };
}

/** Doubles the arena needs for one call: what leftStep keeps and returns, and rightStep returns. */
function arenaDoubles(B: SiteTensor[], K: SiteTensor[], at: Array<LayerGate | undefined>): number {
  const n = B.length;
  let c = 2; // the two 1×1 boundary environments
  for (let i = 0; i < n;) {
    const g = at[i];
    const w = g && g.width === 2 ? 2 : 1, d = w === 2 ? 4 : 2;
    const chiB = K[i].left, chiRa = B[i + w - 1].right, chiRb = K[i + w - 1].right;
    c += chiRa * chiRb + B[i].left * chiB;
    if (g) c += d * chiB * chiRa + (w === 2 ? d * chiB * chiRb : 0);
    i += w;
  }
  return 2 * c;
}
