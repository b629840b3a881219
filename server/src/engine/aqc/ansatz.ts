// The AQC ansatz: a brick circuit with the structure of k Trotter steps, every bond block made a
// general two-qubit unitary G = (A ⊗ B) · exp(i(a XX + b YY + c ZZ)), A and B ZXZ rotations, after
// an initial one-qubit layer Rz(γ)·Rx(β) on each qubit (the first Rz of a ZXZ does nothing on |0⟩).
// Start values come from the KAK decomposition of each Trotter block, so at the start the ansatz
// *is* the k-step Trotter circuit (fields folded into the bond gates, as TEBD does).
import type { Circuit, Gate, Mat2 } from '../circuit/gates';
import { gate } from '../circuit/gates';
import { weylBlock } from '../circuit/blocks';
import { kak, zxz } from '../kak';
import { matmul } from '../kak/cmat';
import type { ChainHamiltonian } from '../tebd';
import { expmHermitian } from '../tebd';
import { brickSchedule } from '../trotter/circuits';

/** A block on qubits (q, q+1); its 9 parameters [a, b, c, α0, β0, γ0, α1, β1, γ1] start at `offset`. */
export interface AnsatzBlock {
  readonly q: number;
  readonly offset: number;
}

export interface Ansatz {
  readonly n: number;
  /** Brick layers in time order; the blocks of a layer act on disjoint bonds. */
  readonly layers: ReadonlyArray<ReadonlyArray<AnsatzBlock>>;
  /** 2n initial-layer parameters (β_q, γ_q at 2q, 2q+1), then 9 per block. */
  readonly parameters: number;
  /** Trotter steps the structure was built from. */
  readonly steps: number;
  readonly order: 1 | 2;
}

export const BLOCK_PARAMS = 9;

export function buildAnsatz(n: number, steps: number, order: 1 | 2): Ansatz {
  let offset = 2 * n;
  const layers = brickSchedule(n, steps, order).map(({ parity }) => {
    const blocks: AnsatzBlock[] = [];
    for (let q = parity; q + 1 < n; q += 2) {
      blocks.push({ q, offset });
      offset += BLOCK_PARAMS;
    }
    return blocks;
  });
  return { n, layers, parameters: offset, steps, order };
}

const I2: Mat2 = Float64Array.from([1, 0, 0, 0, 0, 0, 1, 0]);
const X2: Mat2 = Float64Array.from([0, 0, 1, 0, 1, 0, 0, 0]);
const H2: Mat2 = Float64Array.from([Math.SQRT1_2, 0, Math.SQRT1_2, 0, Math.SQRT1_2, 0, -Math.SQRT1_2, 0]);

/**
 * The ansatz of k Trotter steps and parameters that make it equal (up to global phase) to that
 * Trotter circuit: product state `labels`, then the bond unitaries exp(−i·w·dt·h_i).
 */
export function trotterStart(chain: ChainHamiltonian, labels: string, t: number, steps: number, order: 1 | 2): { ansatz: Ansatz; params: Float64Array } {
  const n = chain.n;
  const ansatz = buildAnsatz(n, steps, order);
  const params = new Float64Array(ansatz.parameters);
  const dt = t / steps;
  // Each qubit's latest one-qubit unitary lives in a slot; a block's `before` factors fold into it.
  const initial: Mat2[] = Array.from(labels, (c) => (c === '1' ? X2 : c === '+' ? H2 : I2));
  if (n === 1 && chain.single) initial[0] = matmul(expmHermitian(chain.single, 2, t), initial[0]);
  const slots: Mat2[] = [...initial];
  const owner: Array<{ kind: 'initial'; q: number } | { kind: 'block'; offset: number; side: 0 | 1 }> = Array.from({ length: n }, (_, q) => ({ kind: 'initial' as const, q }));
  const blockMats = new Map<number, [Mat2, Mat2]>();
  const write = (o: (typeof owner)[number], m: Mat2) => {
    if (o.kind === 'initial') initial[o.q] = m;
    else blockMats.get(o.offset)![o.side] = m;
  };
  brickSchedule(n, steps, order).forEach(({ weight }, li) => {
    for (const blk of ansatz.layers[li]) {
      const u = expmHermitian(chain.bonds[blk.q], 4, weight * dt);
      const d = kak(u);
      for (const side of [0, 1] as const) {
        const q = blk.q + side;
        slots[q] = matmul(d.before[side], slots[q]);
        write(owner[q], slots[q]);
        slots[q] = d.after[side];
        owner[q] = { kind: 'block', offset: blk.offset, side };
      }
      blockMats.set(blk.offset, [d.after[0], d.after[1]]);
      params[blk.offset] = d.a;
      params[blk.offset + 1] = d.b;
      params[blk.offset + 2] = d.c;
    }
  });
  for (let q = 0; q < n; q++) {
    // Only U|0⟩ matters: Rz(γ)Rx(β)Rz(α)|0⟩ = e^{−iα/2}·Rz(γ)Rx(β)|0⟩.
    const e = zxz(initial[q]);
    params[2 * q] = e.beta;
    params[2 * q + 1] = e.gamma;
  }
  for (const [offset, [a0, a1]] of blockMats) {
    const e0 = zxz(a0), e1 = zxz(a1);
    params.set([e0.alpha, e0.beta, e0.gamma, e1.alpha, e1.beta, e1.gamma], offset + 3);
  }
  return { ansatz, params };
}

/** The ansatz as gates (3 CX per block), for simulation and export. Global phase not tracked. */
export function ansatzCircuit(a: Ansatz, p: Float64Array): Circuit {
  const gates: Gate[] = [];
  for (let q = 0; q < a.n; q++) {
    gates.push(gate('rx', [q], [p[2 * q]]), gate('rz', [q], [p[2 * q + 1]]));
  }
  for (const layer of a.layers) {
    for (const { q, offset: o } of layer) {
      gates.push(...weylBlock(q, q + 1, p[o], p[o + 1], p[o + 2]));
      gates.push(gate('rz', [q], [p[o + 3]]), gate('rx', [q], [p[o + 4]]), gate('rz', [q], [p[o + 5]]));
      gates.push(gate('rz', [q + 1], [p[o + 6]]), gate('rx', [q + 1], [p[o + 7]]), gate('rz', [q + 1], [p[o + 8]]));
    }
  }
  return { qubits: a.n, gates };
}
