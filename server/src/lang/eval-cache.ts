// Reuse of Hamiltonian evaluations across edits. A Hamiltonian's value depends only on its own
// text and on the values of the names it uses, so an edit elsewhere in the file leaves it valid:
// the cached result is moved to the statement's new position (all its spans shift together).
import type { PauliSum, PauliTerm } from '../model/pauli';
import type { Span } from '../model/span';
import type { Expr, HamiltonianStmt, PauliAtom, SumExpr } from './ast';
import { walkExpr } from './ast';
import type { Diagnostic } from './diagnostics';
import type { SumInfo } from './evaluate';

/** What evaluating one Hamiltonian statement produced, with spans relative to the statement. */
export interface CachedHamiltonian {
  /** undefined when the Hamiltonian has errors (then it is poisoned). */
  sum: PauliSum | undefined;
  diagnostics: Diagnostic[];
  /** Per Pauli atom / sum node, in walk order. */
  atoms: Array<Set<number> | undefined>;
  sums: Array<SumInfo | undefined>;
  work: number;
}

/** Persistent between analyses of one document; holds only the entries the last analysis used. */
export class EvalCache {
  private entries = new Map<string, CachedHamiltonian>();
  private used = new Map<string, CachedHamiltonian>();
  hits = 0;
  misses = 0;

  get(key: string): CachedHamiltonian | undefined {
    const e = this.entries.get(key) ?? this.used.get(key);
    if (e) { this.used.set(key, e); this.hits++; } else this.misses++;
    return e;
  }

  set(key: string, e: CachedHamiltonian): void {
    this.used.set(key, e);
  }

  /** Ends an analysis: entries it did not use are dropped, so memory follows the file. */
  commit(): void {
    this.entries = this.used;
    this.used = new Map();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Atom and sum nodes of a statement in a fixed walk order (the same text gives the same order). */
export function statementNodes(s: HamiltonianStmt): { atoms: PauliAtom[]; sums: SumExpr[] } {
  const atoms: PauliAtom[] = [];
  const sums: SumExpr[] = [];
  for (const line of s.lines) {
    walkExpr(line, (e: Expr) => {
      if (e.kind === 'pauli') atoms.push(e);
      else if (e.kind === 'sum') sums.push(e);
    });
  }
  return { atoms, sums };
}

export function shiftSpan(s: Span, d: number): Span {
  return d === 0 ? s : { start: s.start + d, end: s.end + d };
}

export function shiftDiagnostic(x: Diagnostic, d: number): Diagnostic {
  if (d === 0) return x;
  return {
    ...x,
    span: shiftSpan(x.span, d),
    fix: x.fix && { title: x.fix.title, edits: x.fix.edits.map((e) => ({ span: shiftSpan(e.span, d), newText: e.newText })) },
    related: x.related?.map((r) => ({ span: shiftSpan(r.span, d), message: r.message })),
  };
}

export function shiftSum(sum: PauliSum, d: number): PauliSum {
  if (d === 0) return sum;
  const terms: PauliTerm[] = sum.terms.map((t) => (t.origin ? { coeff: t.coeff, factors: t.factors, origin: { span: shiftSpan(t.origin.span, d), bindings: t.origin.bindings } } : t));
  return { qubits: sum.qubits, terms };
}
