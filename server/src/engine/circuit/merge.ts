// Merges runs of adjacent one-qubit gates on the same qubit into one U gate (or none, when the run
// is the identity), keeping the exact unitary: the global phase that U leaves out is tracked.
import { type Circuit, type Gate, type Mat2, gate, matrix1 } from './gates';

function mul2(a: Mat2, b: Mat2): Mat2 {
  // a·b for interleaved complex 2×2 matrices.
  const out = new Float64Array(8);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 2; c++) {
      let re = 0, im = 0;
      for (let k = 0; k < 2; k++) {
        const ar = a[(r * 2 + k) * 2], ai = a[(r * 2 + k) * 2 + 1];
        const br = b[(k * 2 + c) * 2], bi = b[(k * 2 + c) * 2 + 1];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      out[(r * 2 + c) * 2] = re;
      out[(r * 2 + c) * 2 + 1] = im;
    }
  }
  return out;
}

/**
 * ZYZ angles of a 2×2 unitary: M = e^{iγ}·U(θ, φ, λ). Returns undefined for the identity (up to
 * phase), so the run can vanish.
 */
export function toU(m: Mat2): { theta: number; phi: number; lambda: number; phase: number } {
  const [ar, ai, br, bi, cr, ci, dr, di] = m;
  // det = ad - bc; its half-angle is the phase that brings M into SU(2).
  const detRe = ar * dr - ai * di - (br * cr - bi * ci);
  const detIm = ar * di + ai * dr - (br * ci + bi * cr);
  const half = Math.atan2(detIm, detRe) / 2;
  const cs = Math.cos(-half), sn = Math.sin(-half);
  // V = e^{-i·half}·M = [[α, -β*], [β, α*]]
  const alr = ar * cs - ai * sn, ali = ar * sn + ai * cs;
  const ber = cr * cs - ci * sn, bei = cr * sn + ci * cs;
  const theta = 2 * Math.atan2(Math.hypot(ber, bei), Math.hypot(alr, ali));
  // α = cos(θ/2) e^{-i(φ+λ)/2}, β = sin(θ/2) e^{i(φ-λ)/2}
  const sum = Math.hypot(alr, ali) > 1e-12 ? -2 * Math.atan2(ali, alr) : 0;
  const diff = Math.hypot(ber, bei) > 1e-12 ? 2 * Math.atan2(bei, ber) : 0;
  const phi = (sum + diff) / 2;
  const lambda = (sum - diff) / 2;
  // U(θ,φ,λ) = e^{i(φ+λ)/2}·V, so M = e^{i·half}·V = e^{i(half - (φ+λ)/2)}·U.
  return { theta, phi, lambda, phase: half - (phi + lambda) / 2 };
}

const isIdentity = (t: { theta: number; phi: number; lambda: number }) =>
  Math.abs(Math.sin(t.theta / 2)) < 1e-12 && Math.abs(Math.sin((t.phi + t.lambda) / 2)) < 1e-12;

export function mergeSingleQubitGates(c: Circuit): Circuit {
  const pending: Array<Gate[]> = Array.from({ length: c.qubits }, () => []);
  const out: Gate[] = [];
  let phase = c.globalPhase ?? 0;
  const flush = (q: number) => {
    const run = pending[q];
    if (run.length === 0) return;
    pending[q] = [];
    if (run.length === 1) { out.push(run[0]); return; }
    let m = matrix1(run[0].name, run[0].params);
    for (let k = 1; k < run.length; k++) m = mul2(matrix1(run[k].name, run[k].params), m);
    const u = toU(m);
    if (isIdentity(u)) {
      // U(0, φ, λ) with e^{i(φ+λ)} = 1 is exactly I: only the phase remains.
      phase += u.phase;
      return;
    }
    phase += u.phase;
    out.push(gate('U', [q], [u.theta, u.phi, u.lambda]));
  };
  for (const g of c.gates) {
    if (g.qubits.length === 1) { pending[g.qubits[0]].push(g); continue; }
    for (const q of g.qubits) flush(q);
    out.push(g);
  }
  for (let q = 0; q < c.qubits; q++) flush(q);
  return { qubits: c.qubits, gates: out, globalPhase: phase };
}
