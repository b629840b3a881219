// Exact time evolution exp(-iHt)|ψ⟩ for small n by a Taylor series on the statevector
// (scaled and squared in time slices so each series converges fast): the reference every
// TEBD and compiled-circuit fidelity is tested against.
import type { PauliSum } from '../../model/pauli';
import { type StateVector, cloneState } from './statevector';

/** In place: out = H|s⟩ (accumulated into zeroed out arrays). */
export function applyHamiltonian(h: PauliSum, s: StateVector, outRe: Float64Array, outIm: Float64Array): void {
  outRe.fill(0);
  outIm.fill(0);
  const dim = s.re.length;
  for (const t of h.terms) {
    let xmask = 0, zmask = 0, ycount = 0;
    for (const f of t.factors) {
      const b = 1 << f.qubit;
      if (f.pauli === 'X') xmask |= b;
      else if (f.pauli === 'Z') zmask |= b;
      else { xmask |= b; zmask |= b; ycount++; }
    }
    // P|i⟩ = i^ycount · (-1)^{popcount(i & zmask)} |i ^ xmask⟩   (Y = i·X·Z)
    const phaseRe = [1, 0, -1, 0][ycount & 3];
    const phaseIm = [0, 1, 0, -1][ycount & 3];
    const c = t.coeff;
    for (let i = 0; i < dim; i++) {
      const sign = popcount(i & zmask) & 1 ? -c : c;
      const j = i ^ xmask;
      const ar = s.re[i] * sign, ai = s.im[i] * sign;
      outRe[j] += phaseRe * ar - phaseIm * ai;
      outIm[j] += phaseRe * ai + phaseIm * ar;
    }
  }
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
  const slices = Math.max(1, Math.ceil(Math.abs(t) * norm1 / 0.5));
  const dt = t / slices;
  const s = cloneState(psi);
  const dim = s.re.length;
  const kr = new Float64Array(dim), ki = new Float64Array(dim);
  const hr = new Float64Array(dim), hi = new Float64Array(dim);
  for (let sl = 0; sl < slices; sl++) {
    // term_k = (-i dt H)^k / k! |s⟩, summed until negligible.
    kr.set(s.re); ki.set(s.im);
    const accR = s.re.slice(), accI = s.im.slice();
    for (let k = 1; k < 60; k++) {
      applyHamiltonian(h, { qubits: s.qubits, re: kr, im: ki }, hr, hi);
      let mag = 0;
      for (let i = 0; i < dim; i++) {
        // multiply by -i dt / k
        const r = (hi[i] * dt) / k, m = (-hr[i] * dt) / k;
        kr[i] = r; ki[i] = m;
        accR[i] += r; accI[i] += m;
        mag += r * r + m * m;
      }
      if (mag < 1e-34) break;
    }
    s.re.set(accR); s.im.set(accI);
  }
  return s;
}
