// One-qubit ZXZ Euler angles: M = e^{i·phase} · Rz(gamma) · Rx(beta) · Rz(alpha), Rz(alpha) applied
// first, with R_P(θ) = exp(−iθP/2) as in circuit/gates.ts.
import type { Mat2 } from '../circuit/gates';
import { matmul, phaseFit, scalePhase, unitarityError } from './cmat';

export interface Zxz {
  alpha: number;
  beta: number;
  gamma: number;
  phase: number;
}

/**
 * Below this |sin(β/2)| (or |cos(β/2)|) the angles are treated as gimbal-locked and alpha = 0; that
 * only misplaces the phase of entries smaller than this, so the round trip stays exact to ~1e-13.
 */
const GIMBAL_EPS = 1e-13;

function rz(t: number): Mat2 {
  const c = Math.cos(t / 2), s = Math.sin(t / 2);
  return Float64Array.from([c, -s, 0, 0, 0, 0, c, s]);
}

function rx(t: number): Mat2 {
  const c = Math.cos(t / 2), s = Math.sin(t / 2);
  return Float64Array.from([c, 0, 0, -s, 0, -s, c, 0]);
}

/** Angle in (−π, π]. */
function wrap(t: number): number {
  const w = t - 2 * Math.PI * Math.ceil((t - Math.PI) / (2 * Math.PI));
  return w <= -Math.PI ? w + 2 * Math.PI : w;
}

/**
 * Euler angles of a 2×2 unitary: beta ∈ [0, π], alpha and gamma in (−π, π] (alpha = 0 at
 * β ≈ 0 or π where only γ ± α is defined). Throws when M is not unitary to `tolerance`.
 */
export function zxz(M: Mat2, tolerance = 1e-7): Zxz {
  const err = unitarityError(M);
  if (!(err <= tolerance)) throw new Error(`zxz: matrix is not unitary (‖MᴴM − I‖max = ${err.toExponential(2)})`);
  // Rz(γ)Rx(β)Rz(α) = [[c·e^{−i(α+γ)/2}, −i·s·e^{i(α−γ)/2}], [−i·s·e^{−i(α−γ)/2}, c·e^{i(α+γ)/2}]],
  // c = cos β/2, s = sin β/2. Read the angles off the SU(2) part; the phase is fitted at the end,
  // so the sign of the square root of det M does not matter.
  const dr = M[0] * M[6] - M[1] * M[7] - (M[2] * M[4] - M[3] * M[5]);
  const di = M[0] * M[7] + M[1] * M[6] - (M[2] * M[5] + M[3] * M[4]);
  const half = Math.atan2(di, dr) / 2;
  const V = scalePhase(M, -half);
  // Average the two entries that carry each modulus/phase (M is unitary only to tolerance).
  const c = (Math.hypot(V[0], V[1]) + Math.hypot(V[6], V[7])) / 2;
  const s = (Math.hypot(V[2], V[3]) + Math.hypot(V[4], V[5])) / 2;
  const beta = 2 * Math.atan2(s, c);
  // v11 + conj(v00) = 2c·e^{i(α+γ)/2} and i·v01 + conj(i·v10) = 2s·e^{i(α−γ)/2}: using both
  // entries of each pair averages out a slightly non-unitary input.
  const sum = 2 * Math.atan2(V[7] - V[1], V[6] + V[0]);
  const diff = 2 * Math.atan2(V[2] - V[4], -V[3] - V[5]);
  let alpha: number, gamma: number;
  if (s < GIMBAL_EPS) { alpha = 0; gamma = sum; }
  else if (c < GIMBAL_EPS) { alpha = 0; gamma = -diff; }
  else { alpha = (sum + diff) / 2; gamma = (sum - diff) / 2; }
  alpha = wrap(alpha);
  gamma = wrap(gamma);
  const R = rotations(alpha, beta, gamma);
  return { alpha, beta, gamma, phase: phaseFit(R, M) };
}

/** Rz(γ)·Rx(β)·Rz(α) (no phase). */
function rotations(alpha: number, beta: number, gamma: number): Mat2 {
  return matmul(rz(gamma), matmul(rx(beta), rz(alpha)));
}

/** e^{i·phase}·Rz(γ)·Rx(β)·Rz(α); phase defaults to 0. */
export function fromZxz(a: { alpha: number; beta: number; gamma: number; phase?: number }): Mat2 {
  const R = rotations(a.alpha, a.beta, a.gamma);
  return a.phase ? scalePhase(R, a.phase) : R;
}

const MINUS_HALF_I_Z: Mat2 = Float64Array.from([0, -0.5, 0, 0, 0, 0, 0, 0.5]);
const MINUS_HALF_I_X: Mat2 = Float64Array.from([0, 0, 0, -0.5, 0, -0.5, 0, 0]);

/** ∂/∂α, ∂/∂β, ∂/∂γ of Rz(γ)·Rx(β)·Rz(α) (no phase): each rotation's derivative is (−iP/2)·R_P. */
export function zxzDerivatives(a: { alpha: number; beta: number; gamma: number }): { dAlpha: Mat2; dBeta: Mat2; dGamma: Mat2 } {
  const Za = rz(a.alpha), Xb = rx(a.beta), Zg = rz(a.gamma);
  return {
    dAlpha: matmul(Zg, matmul(Xb, matmul(Za, MINUS_HALF_I_Z))),
    dBeta: matmul(Zg, matmul(Xb, matmul(MINUS_HALF_I_X, Za))),
    dGamma: matmul(MINUS_HALF_I_Z, matmul(Zg, matmul(Xb, Za))),
  };
}
