// Fidelity F(θ) = |⟨target|V(θ)|0…0⟩|² and its gradient for every parameter, from one forward and
// one backward sweep of MPSs and the environments of each layer: O(m·n·χ³) per evaluation.
//   forward  β_0 = L_0|0⟩, β_j = L_j β_{j−1}        (L_0 the initial one-qubit layer)
//   backward α_m = |target⟩, α_{j−1} = L_j† α_j
//   f = ⟨α_j| L_j |β_{j−1}⟩ for every j, and ∂f/∂G_g = E_g, the environment of block g in L_j.
import type { Mat2, Mat4 } from '../circuit/gates';
import { adjoint, kron, matmul } from '../kak/cmat';
import { fromZxz, weylMatrix, zxzDerivatives } from '../kak';
import { type Mps, applyOneQubit, applyTwoQubit, cloneMps, zeroMps } from '../mps';
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

const XX = pauliPair([0, 0, 1, 0, 1, 0, 0, 0], [0, 0, 1, 0, 1, 0, 0, 0]);
const YY = pauliPair([0, 0, 0, -1, 0, 1, 0, 0], [0, 0, 0, -1, 0, 1, 0, 0]);
const ZZ = pauliPair([1, 0, 0, 0, 0, 0, -1, 0], [1, 0, 0, 0, 0, 0, -1, 0]);
function pauliPair(a: number[], b: number[]): Mat4 {
  return kron(Float64Array.from(a), Float64Array.from(b));
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

function times_i(A: Float64Array): Float64Array {
  const out = new Float64Array(A.length);
  for (let k = 0; k < A.length; k += 2) { out[k] = -A[k + 1]; out[k + 1] = A[k]; }
  return out;
}

interface BlockMats { q: number; offset: number; K: Mat4; W: Mat4; G: Mat4; A0: Mat2; A1: Mat2 }

function blockMatrices(p: Float64Array, q: number, o: number): BlockMats {
  const A0 = fromZxz({ alpha: p[o + 3], beta: p[o + 4], gamma: p[o + 5] });
  const A1 = fromZxz({ alpha: p[o + 6], beta: p[o + 7], gamma: p[o + 8] });
  const W = weylMatrix(p[o], p[o + 1], p[o + 2]);
  const K = kron(A0, A1);
  return { q, offset: o, K, W, G: matmul(K, W), A0, A1 };
}

/** The initial layer's unitary on qubit q: Rz(γ)·Rx(β). */
function initialMatrix(p: Float64Array, q: number): Mat2 {
  return fromZxz({ alpha: 0, beta: p[2 * q], gamma: p[2 * q + 1] });
}

/** The state V(θ)|0…0⟩ as an MPS (forward sweep only). */
export function ansatzState(a: Ansatz, p: Float64Array, o: ObjectiveOptions): Mps {
  const s = zeroMps(a.n);
  for (let q = 0; q < a.n; q++) applyOneQubit(s, q, initialMatrix(p, q));
  for (const layer of a.layers) for (const b of layer) applyTwoQubit(s, b.q, b.q + 1, blockMatrices(p, b.q, b.offset).G, { maxBond: o.maxBond, cutoff: o.cutoff });
  return s;
}

export function evaluate(a: Ansatz, target: Mps, p: Float64Array, o: ObjectiveOptions): Evaluation {
  const trunc = { maxBond: o.maxBond, cutoff: o.cutoff ?? 1e-14 };
  const n = a.n;
  const grad = new Float64Array(a.parameters);
  const layers = a.layers.map((layer) => layer.map((b) => blockMatrices(p, b.q, b.offset)));
  const init = Array.from({ length: n }, (_, q) => initialMatrix(p, q));
  const m = layers.length;

  // Forward: betas[j] = state before brick layer j (only j ≥ 1 is needed: layer 0 is evaluated
  // against |0…0⟩ together with the initial layer, see below).
  const betas: Mps[] = [];
  let beta = zeroMps(n);
  for (let q = 0; q < n; q++) applyOneQubit(beta, q, init[q]);
  for (let j = 0; j < m; j++) {
    betas.push(beta);
    if (j + 1 < m) {
      beta = j === 0 ? beta : cloneMps(beta); // betas[0] itself is never read again
      applyLayer(beta, layers[j], false, trunc);
    }
  }

  // Backward, with the environments of each layer j ≥ 1.
  let f = { re: 0, im: 0 };
  const alpha = cloneMps(target);
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
  // Layer 0 and the initial layer together: f = ⟨α_0'| C |0…0⟩ with C_b = G_b·(I_q ⊗ I_{q+1}) on
  // each block and I_q alone on sites no block covers. Against a product ket this costs no split
  // (α is not carried through layer 0), and with E_C the environment of C_b:
  //   ∂f/∂G_b = E_C·Kᵀ (K = I_q ⊗ I_{q+1}),  ∂f/∂K = G_bᵀ·E_C.
  const covered = new Uint8Array(n);
  const gates: LayerGate[] = [];
  const combined: Mat4[] = [];
  for (const b of layers[0]) { covered[b.q] = covered[b.q + 1] = 1; }
  let bi = 0;
  for (let q = 0; q < n; q++) {
    const b = layers[0][bi];
    if (b && b.q === q) {
      const C = matmul(b.G, kron(init[q], init[q + 1]));
      combined.push(C);
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
    const K = kron(init[q], init[q + 1]);
    blockGradient(b, matmul(E, transposeOf(K)), env.value, p, grad);
    // ∂f/∂K = G_bᵀ·E_C; K = I_q ⊗ I_{q+1}.
    const dK = matmul(transposeOf(b.G), E);
    const d0 = zxzDerivatives({ alpha: 0, beta: p[2 * q], gamma: p[2 * q + 1] });
    const d1 = zxzDerivatives({ alpha: 0, beta: p[2 * q + 2], gamma: p[2 * q + 3] });
    grad[2 * q] = dF(env.value, contract(dK, kron(d0.dBeta, init[q + 1])));
    grad[2 * q + 1] = dF(env.value, contract(dK, kron(d0.dGamma, init[q + 1])));
    grad[2 * q + 2] = dF(env.value, contract(dK, kron(init[q], d1.dBeta)));
    grad[2 * q + 3] = dF(env.value, contract(dK, kron(init[q], d1.dGamma)));
  }
  return { fidelity: f.re * f.re + f.im * f.im, gradient: grad };
}

/** Gradients of qubit q's initial-layer parameters (β, γ) from the environment E of Rz(γ)·Rx(β). */
function initialGradient(E: Float64Array, f: { re: number; im: number }, p: Float64Array, q: number, grad: Float64Array): void {
  const d = zxzDerivatives({ alpha: 0, beta: p[2 * q], gamma: p[2 * q + 1] });
  grad[2 * q] = dF(f, contract(E, d.dBeta));
  grad[2 * q + 1] = dF(f, contract(E, d.dGamma));
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
    applyTwoQubit(mps, b.q, b.q + 1, dagger ? adjoint(b.G) : b.G, trunc);
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
  const KtE = matmul(transposeOf(b.K), E);
  grad[o] = dF(f, contract(KtE, times_i(matmul(XX, b.W))));
  grad[o + 1] = dF(f, contract(KtE, times_i(matmul(YY, b.W))));
  grad[o + 2] = dF(f, contract(KtE, times_i(matmul(ZZ, b.W))));
  // ∂f/∂K = E·Wᵀ; K = A0 ⊗ A1.
  const dK = matmul(E, transposeOf(b.W));
  const d0 = zxzDerivatives({ alpha: p[o + 3], beta: p[o + 4], gamma: p[o + 5] });
  const d1 = zxzDerivatives({ alpha: p[o + 6], beta: p[o + 7], gamma: p[o + 8] });
  grad[o + 3] = dF(f, contract(dK, kron(d0.dAlpha, b.A1)));
  grad[o + 4] = dF(f, contract(dK, kron(d0.dBeta, b.A1)));
  grad[o + 5] = dF(f, contract(dK, kron(d0.dGamma, b.A1)));
  grad[o + 6] = dF(f, contract(dK, kron(b.A0, d1.dAlpha)));
  grad[o + 7] = dF(f, contract(dK, kron(b.A0, d1.dBeta)));
  grad[o + 8] = dF(f, contract(dK, kron(b.A0, d1.dGamma)));
}

function transposeOf(A: Float64Array): Float64Array {
  const d = Math.round(Math.sqrt(A.length / 2));
  const out = new Float64Array(A.length);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    out[(j * d + i) * 2] = A[(i * d + j) * 2];
    out[(j * d + i) * 2 + 1] = A[(i * d + j) * 2 + 1];
  }
  return out;
}
