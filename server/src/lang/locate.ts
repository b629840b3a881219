// What is under the cursor: the innermost node at an offset, with its statement and parents.
import type { Span } from '../model/span';
import type { Expr, OptionLine, Statement } from './ast';
import { childExprs, statementExprs } from './ast';
import type { Analysis } from './analyze';
import type { SymbolDef } from './resolve';

export interface Located {
  statement: Statement | undefined;
  /** Innermost expression containing the offset, and its ancestors (outermost first). */
  expr: Expr | undefined;
  parents: Expr[];
  option: OptionLine | undefined;
}

const inside = (s: Span, off: number) => off >= s.start && off <= s.end;

export function locate(a: Analysis, offset: number): Located {
  const statement = a.ast.statements.find((s) => inside(s.span, offset));
  let expr: Expr | undefined;
  let parents: Expr[] = [];
  let option: OptionLine | undefined;
  if (statement) {
    if (statement.kind === 'evolve') option = statement.options.find((o) => inside(o.span, offset));
    for (const root of statementExprs(statement)) {
      if (!inside(root.span, offset)) continue;
      const chain = descend(root, offset);
      expr = chain[chain.length - 1];
      parents = chain.slice(0, -1);
      break;
    }
  }
  return { statement, expr, parents, option };
}

function descend(e: Expr, offset: number): Expr[] {
  const chain: Expr[] = [e];
  for (;;) {
    const cur = chain[chain.length - 1];
    const child = childExprs(cur).find((c) => inside(c.span, offset));
    if (!child) return chain;
    chain.push(child);
  }
}

/** The symbol whose definition or a reference covers the offset. */
export function symbolAt(a: Analysis, offset: number): { def: SymbolDef; span: Span } | undefined {
  for (const d of a.resolution.symbols) {
    if (inside(d.nameSpan, offset)) return { def: d, span: d.nameSpan };
    for (const r of d.refs) if (inside(r, offset)) return { def: d, span: r };
  }
  return undefined;
}
