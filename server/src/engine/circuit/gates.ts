// The gate vocabulary of QHam circuits: a subset of OpenQASM 3's stdgates.inc (plus U), with
// Qiskit's conventions: R_P(θ) = exp(-iθP/2), qubit 0 the least significant bit.

/** One-qubit gates with no parameters. */
export type FixedGate1 = 'x' | 'y' | 'z' | 'h' | 's' | 'sdg' | 't' | 'tdg' | 'sx';
/** One-qubit rotations; `U` takes (θ, φ, λ). */
export type ParamGate1 = 'rx' | 'ry' | 'rz' | 'p' | 'U';
export type Gate2 = 'cx' | 'cz' | 'cy' | 'swap';
export type GateName = FixedGate1 | ParamGate1 | Gate2;

export interface Gate {
  readonly name: GateName;
  /** For two-qubit gates: [control, target] where that applies. */
  readonly qubits: readonly number[];
  readonly params: readonly number[];
}

export interface Circuit {
  readonly qubits: number;
  readonly gates: readonly Gate[];
  /** Global phase in radians (exp(i·phase) multiplies the state); exports write it as gphase. */
  readonly globalPhase?: number;
}

export const GATE_ARITY: Readonly<Record<GateName, { qubits: 1 | 2; params: number }>> = {
  x: { qubits: 1, params: 0 }, y: { qubits: 1, params: 0 }, z: { qubits: 1, params: 0 }, h: { qubits: 1, params: 0 },
  s: { qubits: 1, params: 0 }, sdg: { qubits: 1, params: 0 }, t: { qubits: 1, params: 0 }, tdg: { qubits: 1, params: 0 },
  sx: { qubits: 1, params: 0 },
  rx: { qubits: 1, params: 1 }, ry: { qubits: 1, params: 1 }, rz: { qubits: 1, params: 1 }, p: { qubits: 1, params: 1 },
  U: { qubits: 1, params: 3 },
  cx: { qubits: 2, params: 0 }, cz: { qubits: 2, params: 0 }, cy: { qubits: 2, params: 0 }, swap: { qubits: 2, params: 0 },
};

export function gate(name: GateName, qubits: number[], params: number[] = []): Gate {
  return { name, qubits, params };
}

export function isTwoQubit(g: Gate): boolean {
  return g.qubits.length === 2;
}

/** A 2×2 complex matrix, row-major: [re00, im00, re01, im01, re10, im10, re11, im11]. */
export type Mat2 = Float64Array;
/** A 4×4 complex matrix, row-major, interleaved re/im; basis index = 2·b(first qubit) + b(second qubit). */
export type Mat4 = Float64Array;

const S2 = Math.SQRT1_2;

/** The unitary of a one-qubit gate. */
export function matrix1(name: GateName, params: readonly number[]): Mat2 {
  const m = (a: number[]) => Float64Array.from(a);
  switch (name) {
    case 'x': return m([0, 0, 1, 0, 1, 0, 0, 0]);
    case 'y': return m([0, 0, 0, -1, 0, 1, 0, 0]);
    case 'z': return m([1, 0, 0, 0, 0, 0, -1, 0]);
    case 'h': return m([S2, 0, S2, 0, S2, 0, -S2, 0]);
    case 's': return m([1, 0, 0, 0, 0, 0, 0, 1]);
    case 'sdg': return m([1, 0, 0, 0, 0, 0, 0, -1]);
    case 't': return m([1, 0, 0, 0, 0, 0, S2, S2]);
    case 'tdg': return m([1, 0, 0, 0, 0, 0, S2, -S2]);
    case 'sx': return m([0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5]);
    case 'rx': {
      const c = Math.cos(params[0] / 2), s = Math.sin(params[0] / 2);
      return m([c, 0, 0, -s, 0, -s, c, 0]);
    }
    case 'ry': {
      const c = Math.cos(params[0] / 2), s = Math.sin(params[0] / 2);
      return m([c, 0, -s, 0, s, 0, c, 0]);
    }
    case 'rz': {
      const c = Math.cos(params[0] / 2), s = Math.sin(params[0] / 2);
      return m([c, -s, 0, 0, 0, 0, c, s]);
    }
    case 'p': return m([1, 0, 0, 0, 0, 0, Math.cos(params[0]), Math.sin(params[0])]);
    case 'U': {
      // OpenQASM 3: U(θ,φ,λ) = [[cos θ/2, −e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]]
      const [th, ph, la] = params;
      const c = Math.cos(th / 2), s = Math.sin(th / 2);
      return m([c, 0, -Math.cos(la) * s, -Math.sin(la) * s, Math.cos(ph) * s, Math.sin(ph) * s, Math.cos(ph + la) * c, Math.sin(ph + la) * c]);
    }
    default: throw new Error(`matrix1: ${name} is not a one-qubit gate`);
  }
}

/**
 * The unitary of a two-qubit gate on (qubits[0], qubits[1]); basis index 2·b0 + b1 where b0 is the
 * bit of qubits[0] (the control for cx/cz/cy).
 */
export function matrix2(name: GateName): Mat4 {
  const u = new Float64Array(32);
  const set = (r: number, c: number, re: number, im = 0) => { u[(r * 4 + c) * 2] = re; u[(r * 4 + c) * 2 + 1] = im; };
  switch (name) {
    case 'cx': set(0, 0, 1); set(1, 1, 1); set(2, 3, 1); set(3, 2, 1); break;
    case 'cz': set(0, 0, 1); set(1, 1, 1); set(2, 2, 1); set(3, 3, -1); break;
    case 'cy': set(0, 0, 1); set(1, 1, 1); set(2, 3, 0, -1); set(3, 2, 0, 1); break;
    case 'swap': set(0, 0, 1); set(1, 2, 1); set(2, 1, 1); set(3, 3, 1); break;
    default: throw new Error(`matrix2: ${name} is not a two-qubit gate`);
  }
  return u;
}
