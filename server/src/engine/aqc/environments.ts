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

/** dst[x, o, y] = Σ_k gateOp[o, k]·src[x, k, y] for the d = 4 index in the middle (out of place). */
function mix4(src: Buf, dst: Buf, X: number, Y: number): void {
  const g = gateOp;
  const g00r = g[0], g00i = g[1], g01r = g[2], g01i = g[3], g02r = g[4], g02i = g[5], g03r = g[6], g03i = g[7];
  const g10r = g[8], g10i = g[9], g11r = g[10], g11i = g[11], g12r = g[12], g12i = g[13], g13r = g[14], g13i = g[15];
  const g20r = g[16], g20i = g[17], g21r = g[18], g21i = g[19], g22r = g[20], g22i = g[21], g23r = g[22], g23i = g[23];
  const g30r = g[24], g30i = g[25], g31r = g[26], g31i = g[27], g32r = g[28], g32i = g[29], g33r = g[30], g33i = g[31];
  const sr = src.re, si = src.im, dr = dst.re, di = dst.im;
  for (let x = 0; x < X; x++) {
    const o0 = 4 * x * Y, o1 = o0 + Y, o2 = o1 + Y, o3 = o2 + Y;
    for (let y = 0; y < Y; y++) {
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

/** Same for a d = 2 index. */
function mix2(src: Buf, dst: Buf, X: number, Y: number): void {
  const g = gateOp;
  const g00r = g[0], g00i = g[1], g01r = g[2], g01i = g[3], g10r = g[4], g10i = g[5], g11r = g[6], g11i = g[7];
  const sr = src.re, si = src.im, dr = dst.re, di = dst.im;
  for (let x = 0; x < X; x++) {
    const o0 = 2 * x * Y, o1 = o0 + Y;
    for (let y = 0; y < Y; y++) {
      const ar = sr[o0 + y], ai = si[o0 + y], br = sr[o1 + y], bi = si[o1 + y];
      dr[o0 + y] = g00r * ar - g00i * ai + g01r * br - g01i * bi;
      di[o0 + y] = g00r * ai + g00i * ar + g01r * bi + g01i * br;
      dr[o1 + y] = g10r * ar - g10i * ai + g11r * br - g11i * bi;
      di[o1 + y] = g10r * ai + g10i * ar + g11r * bi + g11i * br;
    }
  }
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
