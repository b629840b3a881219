// Exact time evolution exp(-iHt)|ψ⟩ for small n by a Taylor series on the statevector, in time
// slices short enough that each series converges fast: the reference every TEBD and compiled-circuit
// fidelity is tested against. Diagonal terms (Z strings) are summed once into one vector.
import type { PauliSum, PauliTerm } from '../../model/pauli';
import { type StateVector, cloneState } from './statevector';

interface Prepared {
  diag: Float64Array;
  offDiagonal: Array<{ xmask: number; zmask: number; phaseRe: number; phaseIm: number; coeff: number }>;
}

function prepare(h: PauliSum, dim: number): Prepared {
  const diag = new Float64Array(dim);
  const offDiagonal: Prepared['offDiagonal'] = [];
  for (const t of h.terms) {
    const { xmask, zmask, ycount } = masks(t);
    if (xmask === 0) {
      for (let i = 0; i < dim; i++) diag[i] += popcount(i & zmask) & 1 ? -t.coeff : t.coeff;
    } else {
      // P|i⟩ = i^ycount · (-1)^{popcount(i & zmask)} |i ^ xmask⟩   (Y = i·X·Z)
      offDiagonal.push({ xmask, zmask, phaseRe: [1, 0, -1, 0][ycount & 3], phaseIm: [0, 1, 0, -1][ycount & 3], coeff: t.coeff });
    }
  }
  return { diag, offDiagonal };
}

function masks(t: PauliTerm): { xmask: number; zmask: number; ycount: number } {
  let xmask = 0, zmask = 0, ycount = 0;
  for (const f of t.factors) {
    const b = 1 << f.qubit;
    if (f.pauli === 'X') xmask |= b;
    else if (f.pauli === 'Z') zmask |= b;
    else { xmask |= b; zmask |= b; ycount++; }
  }
  return { xmask, zmask, ycount };
}

function applyPrepared(p: Prepared, inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  const dim = inRe.length;
  const d = p.diag;
  for (let i = 0; i < dim; i++) { outRe[i] = d[i] * inRe[i]; outIm[i] = d[i] * inIm[i]; }
  for (const { xmask, zmask, phaseRe, phaseIm, coeff } of p.offDiagonal) {
    for (let i = 0; i < dim; i++) {
      const sign = popcount(i & zmask) & 1 ? -coeff : coeff;
      const j = i ^ xmask;
      const ar = inRe[i] * sign, ai = inIm[i] * sign;
      outRe[j] += phaseRe * ar - phaseIm * ai;
      outIm[j] += phaseRe * ai + phaseIm * ar;
    }
  }
}

/** out = H|s⟩. */
export function applyHamiltonian(h: PauliSum, s: StateVector, outRe: Float64Array, outIm: Float64Array): void {
  applyPrepared(prepare(h, s.re.length), s.re, s.im, outRe, outIm);
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** exp(-iHt)|ψ⟩ to ~1e-13. */
export function evolveExact(h: PauliSum, psi: StateVector, t: number): StateVector {
  let norm1 = 0;
  for (const term of h.terms) norm1 += Math.abs(term.coeff);
  // Slices with |t|·‖H‖ ≤ 2 each: the series then needs ~30 terms and loses no precision.
  const slices = Math.max(1, Math.ceil(Math.abs(t) * norm1 / 2));
  const dt = t / slices;
  const s = cloneState(psi);
  const dim = s.re.length;
  const p = prepare(h, dim);
  const kr = new Float64Array(dim), ki = new Float64Array(dim);
  const hr = new Float64Array(dim), hi = new Float64Array(dim);
  for (let sl = 0; sl < slices; sl++) {
    // term_k = (-i dt H)^k / k! |s⟩, summed until negligible.
    kr.set(s.re); ki.set(s.im);
    for (let k = 1; k < 80; k++) {
      applyPrepared(p, kr, ki, hr, hi);
      let mag = 0;
      for (let i = 0; i < dim; i++) {
        const r = (hi[i] * dt) / k, m = (-hr[i] * dt) / k;
        kr[i] = r; ki[i] = m;
        s.re[i] += r; s.im[i] += m;
        mag += r * r + m * m;
      }
      if (mag < 1e-34) break;
    }
  }
  return s;
}
