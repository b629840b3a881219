// Fidelity F(θ) = |⟨target|V(θ)|0…0⟩|² and its gradient for every parameter, from one forward and
// one backward sweep of MPSs and the environments of each layer: O(m·n·χ³) per evaluation.
//   forward  β_0 = L_0|0⟩, β_j = L_j β_{j−1}        (L_0 the initial one-qubit layer)
//   backward α_m = |target⟩, α_{j−1} = L_j† α_j
//   f = ⟨α_j| L_j |β_{j−1}⟩ for every j, and ∂f/∂G_g = E_g, the environment of block g in L_j.
// The first brick layer is not swept: together with the initial one-qubit layer it acts on
// |0…0⟩ directly (see evaluate), which saves the splits of one backward layer.
import type { Mat2, Mat4 } from '../circuit/gates';
import { type Mps, applyOneQubit, applyTwoQubit, zeroMps } from '../mps';
import type { Ansatz } from './ansatz';
import { type LayerGate, layerEnvironments } from './environments';

export interface ObjectiveOptions {
  /** Working bond dimension of the forward and backward states. */
  maxBond: number;
  cutoff?: number;
}

export interface Evaluation {
  /** |⟨target|V|0⟩|² */
  fidelity: number;
  /** ∂F/∂θ */
  gradient: Float64Array;
}

// ---- small matrices (interleaved re/im, row-major), written into caller-provided storage ----

/**
 * R ← Rz(γ)·Rx(β)·Rz(α) = [[c·e^{−iσ}, −i·s·e^{iδ}], [−i·s·e^{−iδ}, c·e^{iσ}]] with c = cos β/2,
 * s = sin β/2, σ = (α+γ)/2, δ = (α−γ)/2 (the ZXZ convention of kak/su2.ts, R_P(θ) = e^{−iθP/2}).
 */
function zxzInto(alpha: number, beta: number, gamma: number, R: Float64Array, o = 0): void {
  const c = Math.cos(beta / 2), s = Math.sin(beta / 2);
  const sg = (alpha + gamma) / 2, dl = (alpha - gamma) / 2;
  const cs = Math.cos(sg), ss = Math.sin(sg), cd = Math.cos(dl), sd = Math.sin(dl);
  R[o] = c * cs; R[o + 1] = -c * ss;
  R[o + 2] = s * sd; R[o + 3] = -s * cd;
  R[o + 4] = -s * sd; R[o + 5] = -s * cd;
  R[o + 6] = c * cs; R[o + 7] = c * ss;
}

/**
 * ∂/∂α, ∂/∂β, ∂/∂γ of Rz(γ)·Rx(β)·Rz(α) into dA, dB, dG: R·(−iZ/2), the β-derivative of the
 * closed form, and (−iZ/2)·R.
 */
function zxzDerivativesInto(alpha: number, beta: number, gamma: number, dA: Float64Array, dB: Float64Array, dG: Float64Array): void {
  const R = ZR;
  zxzInto(alpha, beta, gamma, R);
  // (−i/2)(x + iy) = y/2 − i·x/2 and (i/2)(x + iy) = −y/2 + i·x/2
  for (let k = 0; k < 4; k++) {
    const x = R[2 * k], y = R[2 * k + 1];
    const colPlus = (k & 1) === 1, rowPlus = k >= 2;
    dA[2 * k] = colPlus ? -y / 2 : y / 2; dA[2 * k + 1] = colPlus ? x / 2 : -x / 2;
    dG[2 * k] = rowPlus ? -y / 2 : y / 2; dG[2 * k + 1] = rowPlus ? x / 2 : -x / 2;
  }
  const c = Math.cos(beta / 2), s = Math.sin(beta / 2);
  const sg = (alpha + gamma) / 2, dl = (alpha - gamma) / 2;
  const cs = Math.cos(sg), ss = Math.sin(sg), cd = Math.cos(dl), sd = Math.sin(dl);
  // c' = −s/2, s' = c/2
  dB[0] = -s / 2 * cs; dB[1] = s / 2 * ss;
  dB[2] = c / 2 * sd; dB[3] = -c / 2 * cd;
  dB[4] = -c / 2 * sd; dB[5] = -c / 2 * cd;
  dB[6] = -s / 2 * cs; dB[7] = -s / 2 * ss;
}

/** exp(i(a·XX + b·YY + c·ZZ)) into W (as kak/weyl.ts weylMatrix). */
function weylInto(a: number, b: number, c: number, W: Float64Array): void {
  W.fill(0);
  const blk = (i: number, j: number, t: number, z: number) => {
    const cr = Math.cos(z), ci = Math.sin(z), ct = Math.cos(t), st = Math.sin(t);
    W[2 * (5 * i)] = cr * ct; W[2 * (5 * i) + 1] = ci * ct;
    W[2 * (5 * j)] = cr * ct; W[2 * (5 * j) + 1] = ci * ct;
    W[2 * (4 * i + j)] = -ci * st; W[2 * (4 * i + j) + 1] = cr * st;
    W[2 * (4 * j + i)] = -ci * st; W[2 * (4 * j + i) + 1] = cr * st;
  };
  blk(0, 3, a - b, c);
  blk(1, 2, a + b, -c);
}

/** A ⊗ B (A on the first qubit of the pair) into K. */
function kronInto(A: Float64Array, B: Float64Array, K: Float64Array): void {
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    const ar = A[2 * (2 * i + j)], ai = A[2 * (2 * i + j) + 1];
    for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) {
      const br = B[2 * (2 * k + l)], bi = B[2 * (2 * k + l) + 1];
      const o = 2 * (4 * (2 * i + k) + 2 * j + l);
      K[o] = ar * br - ai * bi;
      K[o + 1] = ar * bi + ai * br;
    }
  }
}

/**
 * out ← op(A)·op(B) for interleaved 4×4 matrices, op = transpose (no conjugation) when the flag is
 * set. `out` must not alias A or B.
 */
function mul4(A: Float64Array, tA: boolean, B: Float64Array, tB: boolean, out: Float64Array): void {
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
    let re = 0, im = 0;
    for (let k = 0; k < 4; k++) {
      const a = 2 * (tA ? 4 * k + i : 4 * i + k), b = 2 * (tB ? 4 * j + k : 4 * k + j);
      const ar = A[a], ai = A[a + 1], br = B[b], bi = B[b + 1];
      re += ar * br - ai * bi;
      im += ar * bi + ai * br;
    }
    out[2 * (4 * i + j)] = re;
    out[2 * (4 * i + j) + 1] = im;
  }
}

/** Aᴴ into out (4×4). */
function adjointInto(A: Float64Array, out: Float64Array): void {
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
    out[2 * (4 * j + i)] = A[2 * (4 * i + j)];
    out[2 * (4 * j + i) + 1] = -A[2 * (4 * i + j) + 1];
  }
}

/** Σ_{ij} E[i,j]·D[i,j] (not conjugated): the directional derivative of f along D. */
function contract(E: Float64Array, D: Float64Array): { re: number; im: number } {
  let re = 0, im = 0;
  for (let k = 0; k < E.length; k += 2) {
    re += E[k] * D[k] - E[k + 1] * D[k + 1];
    im += E[k] * D[k + 1] + E[k + 1] * D[k];
  }
  return { re, im };
}

// The Weyl generators as signed permutations: (P·W)[k, s] = sign_P[k]·W[perm_P[k], s].
// X⊗X flips both bits (k → 3−k); Y⊗Y does too with signs (−1, 1, 1, −1); Z⊗Z is diagonal.
const XX_SIGN = [1, 1, 1, 1], YY_SIGN = [-1, 1, 1, -1], ZZ_SIGN = [1, -1, -1, 1];
const FLIP = [3, 2, 1, 0], SAME = [0, 1, 2, 3];

/** Σ_{k,s} M[k,s]·(i·P·W)[k,s] for a Weyl generator P given as a signed permutation. */
function contractGenerator(M: Float64Array, W: Float64Array, perm: number[], sign: number[]): { re: number; im: number } {
  let re = 0, im = 0;
  for (let k = 0; k < 4; k++) {
    const src = perm[k], sg = sign[k];
    for (let s = 0; s < 4; s++) {
      const mr = M[2 * (4 * k + s)], mi = M[2 * (4 * k + s) + 1];
      const wr = W[2 * (4 * src + s)], wi = W[2 * (4 * src + s) + 1];
      // i·sg·w = sg·(−wi + i·wr)
      const dr = -sg * wi, di = sg * wr;
      re += mr * dr - mi * di;
      im += mr * di + mi * dr;
    }
  }
  return { re, im };
}

/**
 * Partial contractions of a 4×4 D against a product K = A0 ⊗ A1:
 * n0[i0,j0] = Σ_{i1,j1} D[(i0 i1),(j0 j1)]·A1[i1,j1] and n1[i1,j1] = Σ D[(i0 i1),(j0 j1)]·A0[i0,j0],
 * so that contract(D, X ⊗ A1) = contract(n0, X) and contract(D, A0 ⊗ X) = contract(n1, X).
 */
function partials(D: Float64Array, A0: Float64Array, A1: Float64Array, n0: Float64Array, n1: Float64Array): void {
  n0.fill(0); n1.fill(0);
  for (let i0 = 0; i0 < 2; i0++) for (let i1 = 0; i1 < 2; i1++) for (let j0 = 0; j0 < 2; j0++) for (let j1 = 0; j1 < 2; j1++) {
    const d = 2 * (4 * (2 * i0 + i1) + 2 * j0 + j1), dr = D[d], di = D[d + 1];
    const b = 2 * (2 * i1 + j1), br = A1[b], bi = A1[b + 1];
    const a = 2 * (2 * i0 + j0), ar = A0[a], ai = A0[a + 1];
    n0[a] += dr * br - di * bi; n0[a + 1] += dr * bi + di * br;
    n1[b] += dr * ar - di * ai; n1[b + 1] += dr * ai + di * ar;
  }
}

// Scratch for the gradients (evaluate does not recurse).
const ZR = new Float64Array(8);
const M4 = new Float64Array(32), D4 = new Float64Array(32), E4 = new Float64Array(32), K4 = new Float64Array(32);
const N0 = new Float64Array(8), N1 = new Float64Array(8);
const DA = new Float64Array(8), DB = new Float64Array(8), DG = new Float64Array(8);

/** A block's matrices: G = K·W with K = A0 ⊗ A1 and W the Weyl part; Gd = Gᴴ. */
interface BlockMats { q: number; offset: number; K: Mat4; W: Mat4; G: Mat4; Gd: Mat4; A0: Mat2; A1: Mat2 }

function blockMatrices(p: Float64Array, q: number, o: number): BlockMats {
  // One allocation for all seven (views), they live as long as the evaluation.
  const buf = new Float64Array(8 + 8 + 4 * 32);
  const A0 = buf.subarray(0, 8), A1 = buf.subarray(8, 16);
  const K = buf.subarray(16, 48), W = buf.subarray(48, 80), G = buf.subarray(80, 112), Gd = buf.subarray(112, 144);
  zxzInto(p[o + 3], p[o + 4], p[o + 5], A0);
  zxzInto(p[o + 6], p[o + 7], p[o + 8], A1);
  weylInto(p[o], p[o + 1], p[o + 2], W);
  kronInto(A0, A1, K);
  mul4(K, false, W, false, G);
  adjointInto(G, Gd);
  return { q, offset: o, K, W, G, Gd, A0, A1 };
}

/** The initial layer's unitary on qubit q: Rz(γ)·Rx(β). */
function initialMatrix(p: Float64Array, q: number): Mat2 {
  const R = new Float64Array(8);
  zxzInto(0, p[2 * q], p[2 * q + 1], R);
  return R;
}

/** The state V(θ)|0…0⟩ as an MPS (forward sweep only). */
export function ansatzState(a: Ansatz, p: Float64Array, o: ObjectiveOptions): Mps {
  const s = zeroMps(a.n);
  for (let q = 0; q < a.n; q++) applyOneQubit(s, q, initialMatrix(p, q));
  for (const layer of a.layers) for (const b of layer) applyTwoQubit(s, b.q, b.q + 1, blockMatrices(p, b.q, b.offset).G, { maxBond: o.maxBond, cutoff: o.cutoff });
  return s;
}

/** A new MPS value sharing the tensors of `s`: enough because applyTwoQubit replaces tensors and never writes into them. */
function shallowCopy(s: Mps): Mps {
  return { n: s.n, sites: s.sites.slice(), center: s.center };
}

export function evaluate(a: Ansatz, target: Mps, p: Float64Array, o: ObjectiveOptions): Evaluation {
  const trunc = { maxBond: o.maxBond, cutoff: o.cutoff ?? 1e-14 };
  const n = a.n;
  const grad = new Float64Array(a.parameters);
  const layers = a.layers.map((layer) => layer.map((b) => blockMatrices(p, b.q, b.offset)));
  const init = Array.from({ length: n }, (_, q) => initialMatrix(p, q));
  const m = layers.length;

  // Forward: betas[j] = state before brick layer j (only j ≥ 1 is read: layer 0 is evaluated
  // against |0…0⟩ together with the initial layer, below).
  const betas: Mps[] = [];
  let beta = zeroMps(n);
  for (let q = 0; q < n; q++) applyOneQubit(beta, q, init[q]);
  for (let j = 0; j < m; j++) {
    betas.push(beta);
    if (j + 1 < m) {
      beta = shallowCopy(beta);
      applyLayer(beta, layers[j], false, trunc);
    }
  }

  // Backward, with the environments of each layer j ≥ 1.
  let f = { re: 0, im: 0 };
  const alpha = shallowCopy(target);
  for (let j = m - 1; j >= 1; j--) {
    const gates: LayerGate[] = layers[j].map((b) => ({ site: b.q, width: 2, u: b.G }));
    const env = layerEnvironments(alpha, betas[j], gates);
    if (j === m - 1) f = env.value;
    layers[j].forEach((b, k) => blockGradient(b, env.envs[k], env.value, p, grad));
    applyLayer(alpha, layers[j], true, trunc);
  }
  if (m === 0) {
    // No brick layer: only the initial one-qubit layer, between the target and |0…0⟩.
    const gates: LayerGate[] = init.map((u, q) => ({ site: q, width: 1, u }));
    const env = layerEnvironments(alpha, zeroMps(n), gates);
    f = env.value;
    for (let q = 0; q < n; q++) initialGradient(env.envs[q], env.value, p, q, grad);
    return { fidelity: f.re * f.re + f.im * f.im, gradient: grad };
  }

  // Layer 0 and the initial layer together: f = ⟨α_1| C |0…0⟩ with C_b = G_b·(I_q ⊗ I_{q+1}) on
  // each block and I_q alone on sites no block covers. Against a product ket this costs no split
  // (α is not carried through layer 0), and with E_C the environment of C_b:
  //   ∂f/∂G_b = E_C·Kᵀ (K = I_q ⊗ I_{q+1}),  ∂f/∂K = G_bᵀ·E_C.
  const covered = new Uint8Array(n);
  for (const b of layers[0]) { covered[b.q] = covered[b.q + 1] = 1; }
  const gates: LayerGate[] = [];
  let bi = 0;
  for (let q = 0; q < n; q++) {
    const b = layers[0][bi];
    if (b && b.q === q) {
      const C = new Float64Array(32);
      kronInto(init[q], init[q + 1], K4);
      mul4(b.G, false, K4, false, C);
      gates.push({ site: q, width: 2, u: C });
      bi++;
      q++;
    } else if (!covered[q]) gates.push({ site: q, width: 1, u: init[q] });
  }
  if (bi !== layers[0].length) throw new Error('evaluate: layer 0 blocks are not sorted by qubit');
  const env = layerEnvironments(alpha, zeroMps(n), gates);
  if (m === 1) f = env.value;
  bi = 0;
  for (let g = 0; g < gates.length; g++) {
    const gate = gates[g], E = env.envs[g];
    if (gate.width === 1) { initialGradient(E, env.value, p, gate.site, grad); continue; }
    const b = layers[0][bi++];
    const q = b.q;
    kronInto(init[q], init[q + 1], K4);
    mul4(E, false, K4, true, E4);
    blockGradient(b, E4, env.value, p, grad);
    // ∂f/∂K = G_bᵀ·E_C; K = I_q ⊗ I_{q+1}.
    mul4(b.G, true, E, false, D4);
    partials(D4, init[q], init[q + 1], N0, N1);
    zxzDerivativesInto(0, p[2 * q], p[2 * q + 1], DA, DB, DG);
    grad[2 * q] = dF(env.value, contract(N0, DB));
    grad[2 * q + 1] = dF(env.value, contract(N0, DG));
    zxzDerivativesInto(0, p[2 * q + 2], p[2 * q + 3], DA, DB, DG);
    grad[2 * q + 2] = dF(env.value, contract(N1, DB));
    grad[2 * q + 3] = dF(env.value, contract(N1, DG));
  }
  return { fidelity: f.re * f.re + f.im * f.im, gradient: grad };
}

/** Gradients of qubit q's initial-layer parameters (β, γ) from the environment E of Rz(γ)·Rx(β). */
function initialGradient(E: Float64Array, f: { re: number; im: number }, p: Float64Array, q: number, grad: Float64Array): void {
  zxzDerivativesInto(0, p[2 * q], p[2 * q + 1], DA, DB, DG);
  grad[2 * q] = dF(f, contract(E, DB));
  grad[2 * q + 1] = dF(f, contract(E, DG));
}

/**
 * In place: a brick layer's blocks (or their adjoints) on disjoint bonds. They commute, so they
 * are applied in the direction that starts next to the orthogonality centre: each split then
 * leaves the centre one QR step from the next bond instead of a sweep across the chain.
 */
function applyLayer(mps: Mps, blocks: readonly BlockMats[], dagger: boolean, trunc: { maxBond: number; cutoff: number }): void {
  const nb = blocks.length;
  if (nb === 0) return;
  const c = mps.center ?? 0;
  const reverse = Math.abs(c - blocks[nb - 1].q - 1) < Math.abs(c - blocks[0].q);
  for (let k = 0; k < nb; k++) {
    const b = blocks[reverse ? nb - 1 - k : k];
    applyTwoQubit(mps, b.q, b.q + 1, dagger ? b.Gd : b.G, trunc);
  }
}

/** ∂|f|²/∂θ = 2·Re(conj(f)·∂f/∂θ). */
function dF(f: { re: number; im: number }, df: { re: number; im: number }): number {
  return 2 * (f.re * df.re + f.im * df.im);
}

/** Gradients of one block's 9 parameters from its environment E (f = Σ E ∘ G, G = K·W). */
function blockGradient(b: BlockMats, E: Float64Array, f: { re: number; im: number }, p: Float64Array, grad: Float64Array): void {
  const o = b.offset;
  // ∂f/∂W[k,s] = Σ_{s'} K[s',k] E[s',s] = (Kᵀ E)[k,s];  ∂W/∂a = i·XX·W (the generators commute).
  mul4(b.K, true, E, false, M4);
  grad[o] = dF(f, contractGenerator(M4, b.W, FLIP, XX_SIGN));
  grad[o + 1] = dF(f, contractGenerator(M4, b.W, FLIP, YY_SIGN));
  grad[o + 2] = dF(f, contractGenerator(M4, b.W, SAME, ZZ_SIGN));
  // ∂f/∂K = E·Wᵀ; K = A0 ⊗ A1.
  mul4(E, false, b.W, true, D4);
  partials(D4, b.A0, b.A1, N0, N1);
  zxzDerivativesInto(p[o + 3], p[o + 4], p[o + 5], DA, DB, DG);
  grad[o + 3] = dF(f, contract(N0, DA));
  grad[o + 4] = dF(f, contract(N0, DB));
  grad[o + 5] = dF(f, contract(N0, DG));
  zxzDerivativesInto(p[o + 6], p[o + 7], p[o + 8], DA, DB, DG);
  grad[o + 6] = dF(f, contract(N1, DA));
  grad[o + 7] = dF(f, contract(N1, DB));
  grad[o + 8] = dF(f, contract(N1, DG));
}
