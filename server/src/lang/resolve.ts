// Static name resolution: which definition every identifier refers to, in the file's scopes.
// Reports undefined, duplicate, reserved, out-of-order and wrong-kind names, once each.
import type { Span } from '../model/span';
import type { EvolveStmt, Expr, FileAst, Ident, Statement } from './ast';
import { CONSTANTS, FUNCTIONS, OPTIONS, OPTION_BY_KEY, PAULI_LETTERS, isReserved } from './builtins';
import { CODES, DiagnosticSink } from './diagnostics';
import { suggest } from './suggest';

export type SymbolKind = 'param' | 'hamiltonian' | 'state' | 'evolve' | 'loop' | 'qubits';

export interface SymbolDef {
  readonly name: string;
  readonly kind: SymbolKind;
  /** The defining occurrence of the name (for `n`: the `qubits` keyword). */
  readonly nameSpan: Span;
  /** The whole defining statement or `sum`. */
  readonly declSpan: Span;
  /** Loop variables: the range where they are visible. */
  readonly scope?: Span;
  readonly refs: Span[];
}

export interface Resolution {
  readonly symbols: SymbolDef[];
  /** Identifier node → its definition (absent for builtins, enum words and unresolved names). */
  readonly refs: Map<Ident, SymbolDef>;
  /** Identifiers whose resolution failed: evaluation treats them as already-reported errors. */
  readonly broken: Set<Ident>;
}

const KIND_WORD: Record<SymbolKind, string> = { param: 'a param', hamiltonian: 'a Hamiltonian', state: 'a state', evolve: 'an evolve block', loop: 'a loop variable', qubits: 'the register size' };

export function resolve(ast: FileAst, text: string, sink: DiagnosticSink): Resolution {
  const symbols: SymbolDef[] = [];
  const refs = new Map<Ident, SymbolDef>();
  const broken = new Set<Ident>();
  const lineOf = (off: number) => lineNumber(text, off);

  // All top-level definitions, in order; the first of each name wins.
  const firstDef = new Map<string, { def: SymbolDef; order: number }>();
  const orderOf = new Map<Statement, number>();
  ast.statements.forEach((s, i) => orderOf.set(s, i));
  const declare = (name: Ident | undefined, kind: SymbolKind, s: Statement, order: number) => {
    if (!name) return;
    if (isReserved(name.name)) {
      sink.error(CODES.ReservedName, name.span, `\`${name.name}\` is a built-in name and cannot be redefined; choose another name.`);
      broken.add(name);
      return;
    }
    const prev = firstDef.get(name.name);
    if (prev) {
      sink.error(CODES.DuplicateName, name.span, `\`${name.name}\` is already defined on line ${lineOf(prev.def.nameSpan.start)} as ${KIND_WORD[prev.def.kind]}; names must be unique.`, {
        related: [{ span: prev.def.nameSpan, message: `first definition of \`${name.name}\`` }],
      });
      broken.add(name);
      return;
    }
    const def: SymbolDef = { name: name.name, kind, nameSpan: name.span, declSpan: s.span, refs: [] };
    symbols.push(def);
    refs.set(name, def);
    firstDef.set(name.name, { def, order });
  };
  let qubitsOrder = -1;
  let qubitsDef: SymbolDef | undefined;
  ast.statements.forEach((s, i) => {
    switch (s.kind) {
      case 'param': declare(s.name, 'param', s, i); break;
      case 'hamiltonian': declare(s.name, 'hamiltonian', s, i); break;
      case 'state': declare(s.name, 'state', s, i); break;
      case 'evolve': declare(s.alias, 'evolve', s, i); break;
      case 'qubits':
        if (qubitsOrder < 0) {
          qubitsOrder = i;
          qubitsDef = { name: 'n', kind: 'qubits', nameSpan: s.keyword, declSpan: s.span, refs: [] };
          symbols.push(qubitsDef);
        }
        break;
    }
  });

  // Hamiltonians and states are built on the register: they must come after `qubits`.
  if (qubitsDef) {
    ast.statements.forEach((s, i) => {
      if ((s.kind === 'hamiltonian' || s.kind === 'state') && i < qubitsOrder && refs.has(s.name)) {
        sink.error(CODES.UsedBeforeDefinition, s.name.span, `\`${s.name.name}\` is defined before \`qubits\` (line ${lineOf(qubitsDef!.nameSpan.start)}), but ${s.kind === 'state' ? 'a state' : 'a Hamiltonian'} needs the register size; move \`qubits\` to the top of the file.`);
        broken.add(s.name);
      }
    });
  }

  const allNames = () => [...firstDef.keys(), 'n', ...Object.keys(CONSTANTS)];

  /** Resolves a global reference made by statement number `order`. */
  const lookupGlobal = (id: Ident, order: number, want: SymbolKind[] | 'value'): void => {
    if (id.name === 'n' && want === 'value') {
      if (!qubitsDef) { broken.add(id); return; } // the missing `qubits` is reported once, elsewhere
      if (qubitsOrder >= order) {
        sink.error(CODES.UsedBeforeDefinition, id.span, qubitsOrder === order
          ? '`n` is the register size this `qubits` statement defines; it cannot be used to define itself.'
          : `\`n\` is set by \`qubits\` on line ${lineOf(qubitsDef.nameSpan.start)}, after this use; move \`qubits\` to the top of the file.`);
        broken.add(id);
        return;
      }
      qubitsDef.refs.push(id.span);
      refs.set(id, qubitsDef);
      return;
    }
    if (want === 'value' && id.name in CONSTANTS) return;
    const found = firstDef.get(id.name);
    if (!found) {
      broken.add(id);
      if (want === 'value' && PAULI_LETTERS.has(id.name)) {
        sink.error(CODES.TypeMismatch, id.span, `\`${id.name}\` is a Pauli operator and needs a qubit index, as in \`${id.name}[0]\` or \`${id.name}[i]\`.`);
        return;
      }
      if (want === 'value' && id.name in FUNCTIONS) {
        sink.error(CODES.TypeMismatch, id.span, `\`${id.name}\` is a function; call it as \`${id.name}(x)\`.`);
        return;
      }
      const candidates = want === 'value' ? allNames().filter((nm) => { const d = firstDef.get(nm); return !d || d.def.kind === 'param' || d.def.kind === 'hamiltonian'; })
        : [...firstDef.values()].filter((d) => want.includes(d.def.kind)).map((d) => d.def.name);
      const guess = suggest(id.name, candidates);
      const what = want === 'value' ? 'name' : want.map((k) => KIND_WORD[k].replace(/^an? /, '')).join(' or ');
      sink.error(CODES.UndefinedName, id.span, `Unknown ${what} \`${id.name}\`${guess ? `; did you mean \`${guess}\`?` : '.'}`,
        guess ? { fix: { title: `Change to \`${guess}\``, edits: [{ span: id.span, newText: guess }] } } : undefined);
      return;
    }
    const def = found.def;
    if (found.order >= order) {
      broken.add(id);
      def.refs.push(id.span);
      sink.error(CODES.UsedBeforeDefinition, id.span, found.order === order
        ? `\`${id.name}\` is used in its own definition.`
        : `\`${id.name}\` is used before its definition on line ${lineOf(def.nameSpan.start)}; move the definition above this line.`,
      { related: [{ span: def.nameSpan, message: `definition of \`${id.name}\`` }] });
      return;
    }
    const ok = want === 'value' ? def.kind === 'param' || def.kind === 'hamiltonian' : want.includes(def.kind);
    if (!ok) {
      broken.add(id);
      def.refs.push(id.span);
      const expected = want === 'value' ? 'a number, an array or an operator' : KIND_WORD[want[0]];
      sink.error(CODES.WrongKindOfName, id.span, `\`${id.name}\` is ${KIND_WORD[def.kind]} (line ${lineOf(def.nameSpan.start)}), not ${expected}.`);
      return;
    }
    def.refs.push(id.span);
    refs.set(id, def);
  };

  interface Scope { name: string; def: SymbolDef; parent: Scope | undefined }

  const visit = (e: Expr, order: number, scope: Scope | undefined): void => {
    switch (e.kind) {
      case 'ident': {
        for (let s = scope; s; s = s.parent) {
          if (s.name === e.name) {
            s.def.refs.push(e.span);
            refs.set(e, s.def);
            return;
          }
        }
        lookupGlobal(e, order, 'value');
        return;
      }
      case 'pauli': visit(e.index, order, scope); return;
      case 'index': visit(e.target, order, scope); visit(e.index, order, scope); return;
      case 'call': {
        if (!(e.callee.name in FUNCTIONS)) {
          const guess = suggest(e.callee.name, Object.keys(FUNCTIONS));
          sink.error(CODES.UnknownFunction, e.callee.span, `Unknown function \`${e.callee.name}\`${guess ? `; did you mean \`${guess}\`?` : `. Functions: ${Object.keys(FUNCTIONS).join(', ')}.`}`,
            guess ? { fix: { title: `Change to \`${guess}\``, edits: [{ span: e.callee.span, newText: guess }] } } : undefined);
          broken.add(e.callee);
        }
        for (const a of e.args) visit(a, order, scope);
        return;
      }
      case 'unary': visit(e.operand, order, scope); return;
      case 'binary': {
        // Iterative along the left spine: long chains must not exhaust the stack.
        const rights: Expr[] = [];
        let cur: Expr = e;
        while (cur.kind === 'binary') {
          rights.push(cur.right);
          cur = cur.left;
        }
        visit(cur, order, scope);
        for (let k = rights.length - 1; k >= 0; k--) visit(rights[k], order, scope);
        return;
      }
      case 'paren': visit(e.expr, order, scope); return;
      case 'array': for (const a of e.elements) visit(a, order, scope); return;
      case 'sum': {
        visit(e.from, order, scope);
        visit(e.to, order, scope);
        if (e.step) visit(e.step, order, scope);
        const v = e.variable;
        if (isReserved(v.name)) {
          sink.error(CODES.ReservedName, v.span, `\`${v.name}\` is a built-in name and cannot be a loop variable; use \`i\`, \`j\`, \`k\`….`);
        }
        const def: SymbolDef = { name: v.name, kind: 'loop', nameSpan: v.span, declSpan: e.span, scope: e.bodySpan, refs: [] };
        symbols.push(def);
        refs.set(v, def);
        const inner: Scope = { name: v.name, def, parent: scope };
        for (const b of e.body) visit(b, order, inner);
        return;
      }
      default: return;
    }
  };

  ast.statements.forEach((s, order) => {
    switch (s.kind) {
      case 'qubits': visit(s.value, order, undefined); break;
      case 'param': visit(s.value, order, undefined); break;
      case 'hamiltonian': for (const l of s.lines) visit(l, order, undefined); break;
      case 'state': break;
      case 'evolve': resolveEvolve(s, order); break;
    }
  });

  function resolveEvolve(s: EvolveStmt, order: number): void {
    if (s.state) lookupGlobal(s.state, order, ['state']);
    if (s.hamiltonian) lookupGlobal(s.hamiltonian, order, ['hamiltonian']);
    visit(s.time, order, undefined);
    for (const o of s.options) {
      const spec = OPTION_BY_KEY.get(o.key.name);
      // Enum words (aqc, trotter, auto) are values, not names; unknown keys are reported by the checker.
      if (o.value.kind === 'ident' && (!spec || spec.valueKind === 'enum' || ENUM_WORDS.has(o.value.name))) continue;
      if (!spec) continue;
      visit(o.value, order, undefined);
    }
  }

  return { symbols, refs, broken };
}

const ENUM_WORDS = new Set(OPTIONS.flatMap((o) => o.words));

export function lineNumber(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
