// `qham info FILE…`: what each file defines — register, params, Hamiltonians, states, evolve blocks.
import { analyze } from '../lang/analyze';
import { locality, isNearestNeighbourChain, oneNorm, formatNumber } from '../model/pauli';
import type { Program } from '../model/program';
import { readSource } from './check';

export function describeProgram(p: Program): string[] {
  const out: string[] = [];
  out.push(`  qubits        ${p.qubits ?? '(none)'}`);
  if (p.params.size) out.push(`  params        ${[...p.params].map(([k, v]) => `${k} = ${typeof v === 'number' ? formatNumber(v) : `[${v.length} values]`}`).join(', ')}`);
  for (const h of p.hamiltonians.values()) {
    out.push(`  hamiltonian   ${h.name}: ${h.sum.terms.length} terms, ${locality(h.sum)}-local, ${isNearestNeighbourChain(h.sum) ? 'nearest-neighbour chain' : 'not nearest-neighbour'}, 1-norm ${formatNumber(Number(oneNorm(h.sum).toPrecision(6)))}`);
  }
  for (const s of p.states.values()) out.push(`  state         ${s.name} = ${s.kind}${s.labels.length <= 64 ? ` |${s.labels}⟩` : ''}`);
  for (const e of p.evolves) {
    const o = e.options;
    out.push(`  evolve        ${e.name}: ${e.state.name} under ${e.hamiltonian.name} for t = ${formatNumber(e.time)} — method ${o.method}, layers ${o.layers}, order ${o.order}, fidelity ${o.fidelity}, bond ${o.bond}${o.output ? `, output ${o.output}` : ''}`);
  }
  return out;
}

export function infoFile(file: string, overrides: ReadonlyMap<string, number | number[]>): { lines: string[]; errors: number } {
  const a = analyze(readSource(file), { overrides });
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  const head = `${file}: ${errors ? `${errors} error${errors > 1 ? 's' : ''}` : 'ok'}`;
  return { lines: [head, ...describeProgram(a.program)], errors };
}
