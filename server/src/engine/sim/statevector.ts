// Dense statevector simulation for small registers (tests and exact references; n ≤ ~24).
// Amplitude index bit k is qubit k (qubit 0 least significant), as in Qiskit.
import { type Circuit, type Gate, type Mat2, type Mat4, matrix1, matrix2 } from '../circuit/gates';

export interface StateVector {
  readonly qubits: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export const MAX_STATEVECTOR_QUBITS = 26;

export function zeroState(n: number): StateVector {
  if (n > MAX_STATEVECTOR_QUBITS) throw new Error(`statevector: ${n} qubits is too many (max ${MAX_STATEVECTOR_QUBITS})`);
  const re = new Float64Array(1 << n);
  re[0] = 1;
  return { qubits: n, re, im: new Float64Array(1 << n) };
}

export function cloneState(s: StateVector): StateVector {
  return { qubits: s.qubits, re: s.re.slice(), im: s.im.slice() };
}

/** In place: applies a 2×2 unitary to qubit q. */
export function apply1(s: StateVector, q: number, u: Mat2): void {
  const { re, im } = s;
  const bit = 1 << q;
  const [ar, ai, br, bi, cr, ci, dr, di] = u;
  for (let i = 0; i < re.length; i++) {
    if (i & bit) continue;
    const j = i | bit;
    const xr = re[i], xi = im[i], yr = re[j], yi = im[j];
    re[i] = ar * xr - ai * xi + br * yr - bi * yi;
    im[i] = ar * xi + ai * xr + br * yi + bi * yr;
    re[j] = cr * xr - ci * xi + dr * yr - di * yi;
    im[j] = cr * xi + ci * xr + dr * yi + di * yr;
  }
}

/** In place: applies a 4×4 unitary to (q0, q1), basis index 2·b(q0) + b(q1). */
export function apply2(s: StateVector, q0: number, q1: number, u: Mat4): void {
  const { re, im } = s;
  const b0 = 1 << q0;
  const b1 = 1 << q1;
  const idx = [0, 0, 0, 0];
  const vr = [0, 0, 0, 0];
  const vi = [0, 0, 0, 0];
  for (let i = 0; i < re.length; i++) {
    if (i & b0 || i & b1) continue;
    idx[0] = i; idx[1] = i | b1; idx[2] = i | b0; idx[3] = i | b0 | b1;
    for (let k = 0; k < 4; k++) { vr[k] = re[idx[k]]; vi[k] = im[idx[k]]; }
    for (let r = 0; r < 4; r++) {
      let sr = 0, si = 0;
      for (let c = 0; c < 4; c++) {
        const mr = u[(r * 4 + c) * 2], mi = u[(r * 4 + c) * 2 + 1];
        sr += mr * vr[c] - mi * vi[c];
        si += mr * vi[c] + mi * vr[c];
      }
      re[idx[r]] = sr;
      im[idx[r]] = si;
    }
  }
}

export function applyGate(s: StateVector, g: Gate): void {
  if (g.qubits.length === 1) apply1(s, g.qubits[0], matrix1(g.name, g.params));
  else apply2(s, g.qubits[0], g.qubits[1], matrix2(g.name));
}

/** The state C|0…0⟩ (global phase included). */
export function simulate(c: Circuit, initial?: StateVector): StateVector {
  const s = initial ? cloneState(initial) : zeroState(c.qubits);
  for (const g of c.gates) applyGate(s, g);
  if (c.globalPhase) scalePhase(s, c.globalPhase);
  return s;
}

export function scalePhase(s: StateVector, phase: number): void {
  const c = Math.cos(phase), sn = Math.sin(phase);
  for (let i = 0; i < s.re.length; i++) {
    const r = s.re[i], m = s.im[i];
    s.re[i] = c * r - sn * m;
    s.im[i] = c * m + sn * r;
  }
}

/** ⟨a|b⟩ */
export function inner(a: StateVector, b: StateVector): { re: number; im: number } {
  let re = 0, im = 0;
  for (let i = 0; i < a.re.length; i++) {
    re += a.re[i] * b.re[i] + a.im[i] * b.im[i];
    im += a.re[i] * b.im[i] - a.im[i] * b.re[i];
  }
  return { re, im };
}

/** |⟨a|b⟩|² */
export function fidelity(a: StateVector, b: StateVector): number {
  const { re, im } = inner(a, b);
  return re * re + im * im;
}

export function norm2(s: StateVector): number {
  let t = 0;
  for (let i = 0; i < s.re.length; i++) t += s.re[i] * s.re[i] + s.im[i] * s.im[i];
  return t;
}
