// Circuits on an MPS. Runs of gates on the same qubit pair (with the one-qubit gates on those two
// qubits) are fused into one 4×4 first, so a 3-CX block costs one SVD split instead of three;
// one-qubit gates wait for the next two-qubit gate on their qubit. Gates on disjoint qubits
// commute, so this reordering leaves the state unchanged.
import { type Circuit, type Mat2, type Mat4, matrix1, matrix2 } from '../circuit/gates';
import { type Complex, type Mps, zeroMps, scaleMps } from './mps';
import { type TruncationOptions, type TruncationTally, applyOneQubit, applyTwoQubit, newTally } from './apply';
import { overlap, stateFidelity } from './contract';
import { IDENTITY2, kron2, matmulSmall, swapQubitOrder } from './small';

export interface CircuitReport {
  /** Σ δ over the splits of this circuit (see apply.ts for what it bounds). */
  discardedWeight: number;
  /** The tally of this circuit's splits (also accumulated into opts.tally when given). */
  tally: TruncationTally;
}

/** In place: applies every gate and the global phase of `circuit` to `mps`. */
export function applyCircuit(mps: Mps, circuit: Circuit, opts: TruncationOptions = {}): CircuitReport {
  if (circuit.qubits !== mps.n) throw new RangeError(`applyCircuit: circuit on ${circuit.qubits} qubits, MPS on ${mps.n}`);
  const tally = newTally();
  const local: TruncationOptions = { ...opts, tally };
  const pending: Array<Mat2 | undefined> = new Array(mps.n);
  let block: { a: number; b: number; u: Mat4 } | undefined;

  const flush = () => {
    if (block) applyTwoQubit(mps, block.a, block.b, block.u, local);
    block = undefined;
  };
  for (const g of circuit.gates) {
    if (g.qubits.length === 1) {
      const q = g.qubits[0], m = matrix1(g.name, g.params);
      if (block && (q === block.a || q === block.b)) {
        block.u = matmulSmall(q === block.a ? kron2(m, IDENTITY2) : kron2(IDENTITY2, m), block.u, 4);
      } else {
        const p = pending[q];
        pending[q] = p ? matmulSmall(m, p, 2) : m;
      }
      continue;
    }
    const [c, d] = g.qubits;
    let m = matrix2(g.name);
    if (block && block.a === c && block.b === d) { block.u = matmulSmall(m, block.u, 4); continue; }
    if (block && block.a === d && block.b === c) { block.u = matmulSmall(swapQubitOrder(m), block.u, 4); continue; }
    flush();
    const pc = pending[c], pd = pending[d];
    if (pc || pd) m = matmulSmall(m, kron2(pc ?? IDENTITY2, pd ?? IDENTITY2), 4);
    pending[c] = pending[d] = undefined;
    block = { a: c, b: d, u: m };
  }
  flush();
  for (let q = 0; q < mps.n; q++) { const p = pending[q]; if (p) applyOneQubit(mps, q, p); }
  if (circuit.globalPhase) scaleMps(mps, Math.cos(circuit.globalPhase), Math.sin(circuit.globalPhase));

  if (opts.tally) {
    opts.tally.splits += tally.splits;
    opts.tally.discardedWeight += tally.discardedWeight;
    opts.tally.distance += tally.distance;
    opts.tally.maxBond = Math.max(opts.tally.maxBond, tally.maxBond);
  }
  return { discardedWeight: tally.discardedWeight, tally };
}

export interface CircuitFidelity {
  /** |⟨target|C|0⟩|² / (‖target‖²·‖C|0⟩‖²). */
  fidelity: number;
  /** ⟨target|C|0⟩ (unnormalised), for phase-sensitive checks. */
  overlap: Complex;
  /** Σ δ of the simulation of C|0⟩: the fidelity is exact up to about this much. */
  discardedWeight: number;
}

/** Fidelity of the circuit's output state C|0…0⟩ with `target`, by MPS simulation (any n). */
export function circuitFidelity(circuit: Circuit, target: Mps, opts: TruncationOptions = {}): CircuitFidelity {
  const psi = zeroMps(target.n);
  const { discardedWeight } = applyCircuit(psi, circuit, opts);
  return { fidelity: stateFidelity(target, psi), overlap: overlap(target, psi), discardedWeight };
}
