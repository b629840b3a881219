// JSON export of compile results: the ResultDocument shape, indented for people, with each gate and
// each short array on one line so a 5,000-gate circuit stays a 5,000-line file.
import type { Circuit } from '../engine/circuit/gates';
import { checkCircuit } from './common';
import type { CircuitJson, ResultDocument } from './result-types';

/** The JSON form of a model circuit (fresh arrays, global phase made explicit). */
export function circuitJson(c: Circuit): CircuitJson {
  checkCircuit(c);
  return {
    qubits: c.qubits,
    globalPhase: c.globalPhase ?? 0,
    gates: c.gates.map((g) => ({ name: g.name, qubits: [...g.qubits], params: [...g.params] })),
  };
}

const INLINE_WIDTH = 100;

/**
 * Like JSON.stringify(v, null, 2) but non-finite numbers throw (JSON.stringify would silently write
 * null) and small values stay on one line. `path` names the field in error messages.
 */
function write(v: unknown, indent: string, path: string, open: Set<object> = new Set()): string {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`result JSON: ${path} is ${v}; only finite numbers can be written`);
    return JSON.stringify(v);
  }
  if (typeof v !== 'object') throw new Error(`result JSON: ${path} is a ${typeof v}, which JSON cannot hold`);
  if (open.has(v)) throw new Error(`result JSON: ${path} refers back to itself`);
  open.add(v);
  try {
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      const items = v.map((x, i) => (x === undefined ? 'null' : write(x, inner, `${path}[${i}]`, open)));
      const flat = `[${items.join(', ')}]`;
      if (items.length === 0 || isFlat(v) || (flat.length <= INLINE_WIDTH && !flat.includes('\n'))) return flat;
      return `[\n${items.map((s) => inner + s).join(',\n')}\n${indent}]`;
    }
    const entries: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined || typeof x === 'function') continue; // as JSON.stringify does
      entries.push(`${JSON.stringify(k)}: ${write(x, inner, `${path}.${k}`, open)}`);
    }
    if (entries.length === 0) return '{}';
    const flat = `{ ${entries.join(', ')} }`;
    if (isFlat(v) || (flat.length <= INLINE_WIDTH && !flat.includes('\n'))) return flat;
    return `{\n${entries.map((s) => inner + s).join(',\n')}\n${indent}}`;
  } finally {
    open.delete(v);
  }
}

const isPrimitive = (x: unknown) => x === null || typeof x !== 'object';

/** Arrays of primitives and objects of primitives or such arrays (gates, trace): one line each. */
function isFlat(v: object): boolean {
  const values: unknown[] = Array.isArray(v) ? v : Object.values(v);
  if (Array.isArray(v)) return values.every(isPrimitive);
  return values.every((x) => isPrimitive(x) || (Array.isArray(x) && x.every(isPrimitive)));
}

export function toResultJson(doc: ResultDocument): string {
  doc.blocks.forEach((b) => {
    try {
      checkCircuit(b.circuit);
    } catch (e) {
      throw new Error(`result JSON: block ${JSON.stringify(b.name)}: ${(e as Error).message}`);
    }
  });
  return `${write(doc, '', 'document')}\n`;
}
