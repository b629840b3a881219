// Shared by the exporters: exact number printing and a check that a circuit is well-formed, so a
// bad circuit fails loudly here instead of producing a file that no loader accepts.
import { type Circuit, GATE_ARITY } from '../engine/circuit/gates';

/**
 * The shortest decimal that reads back as exactly `x` (ECMAScript's String(x) round-trips), with a
 * decimal point before any exponent because OpenQASM 2's `real` requires one (`1.0e-07`, not `1e-7`).
 */
export function formatNumber(x: number, what = 'number'): string {
  if (!Number.isFinite(x)) throw new Error(`export: ${what} is ${x}; only finite numbers can be written`);
  const s = String(x === 0 ? 0 : x); // -0 prints as 0
  if (/[eE]/.test(s) && !s.includes('.')) return s.replace(/[eE]/, '.0e');
  return s;
}

/** Throws a clear Error when a gate is unknown, has the wrong arity, bad qubits or non-finite params. */
export function checkCircuit(c: Circuit): void {
  if (!Number.isInteger(c.qubits) || c.qubits < 1) throw new Error(`export: a circuit needs at least one qubit (got ${c.qubits})`);
  if (c.globalPhase !== undefined && !Number.isFinite(c.globalPhase)) throw new Error(`export: the global phase is ${c.globalPhase}`);
  c.gates.forEach((g, k) => {
    const where = `gate ${k} (${String(g.name)})`;
    const arity = Object.prototype.hasOwnProperty.call(GATE_ARITY, g.name) ? GATE_ARITY[g.name] : undefined;
    if (!arity) throw new Error(`export: ${where} is not a QHam gate`);
    if (g.qubits.length !== arity.qubits) throw new Error(`export: ${where} acts on ${g.qubits.length} qubits, expected ${arity.qubits}`);
    if (g.params.length !== arity.params) throw new Error(`export: ${where} has ${g.params.length} parameters, expected ${arity.params}`);
    for (const q of g.qubits) {
      if (!Number.isInteger(q) || q < 0 || q >= c.qubits) throw new Error(`export: ${where} uses qubit ${q}, outside 0..${c.qubits - 1}`);
    }
    if (g.qubits.length === 2 && g.qubits[0] === g.qubits[1]) throw new Error(`export: ${where} uses qubit ${g.qubits[0]} twice`);
    g.params.forEach((p, i) => {
      if (!Number.isFinite(p)) throw new Error(`export: ${where} parameter ${i} is ${p}; only finite numbers can be written`);
    });
  });
}
