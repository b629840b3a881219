// Syntax tree of a .qham file. Every node carries its exact source span.
import type { Span } from '../model/span';

export interface Ident { kind: 'ident'; name: string; span: Span }

export type Expr =
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | Ident
  | PauliAtom
  | { kind: 'index'; target: Ident; index: Expr; span: Span }
  | { kind: 'call'; callee: Ident; args: Expr[]; span: Span }
  | { kind: 'unary'; op: '-' | '+'; operand: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'paren'; expr: Expr; span: Span }
  | { kind: 'array'; elements: Expr[]; span: Span }
  | SumExpr
  /** Placeholder where the parser found no expression (already reported). */
  | { kind: 'missing'; span: Span };

/** `*` written explicitly, or `juxt` for a product by juxtaposition (`X[0] X[1]`). */
export type BinaryOp = '+' | '-' | '*' | 'juxt' | '/' | '%' | '^';

export interface PauliAtom { kind: 'pauli'; letter: 'X' | 'Y' | 'Z' | 'I'; letterSpan: Span; index: Expr; span: Span }

export interface SumExpr {
  kind: 'sum';
  variable: Ident;
  from: Expr;
  to: Expr;
  step?: Expr;
  body: Expr[];
  bodySpan: Span;
  span: Span;
}

export interface QubitsStmt { kind: 'qubits'; keyword: Span; value: Expr; span: Span }
export interface ParamStmt { kind: 'param'; name: Ident; value: Expr; span: Span }
export interface HamiltonianStmt { kind: 'hamiltonian'; name: Ident; lines: Expr[]; bodySpan: Span; span: Span }
export interface StateSpec { kind: 'zero' | 'neel' | 'plus' | 'bits' | 'unknown'; word: Ident; bits?: { value: string; span: Span }; span: Span }
export interface StateStmt { kind: 'state'; name: Ident; value: StateSpec | undefined; span: Span }
export interface OptionLine { key: Ident; value: Expr; span: Span }
export interface EvolveStmt {
  kind: 'evolve';
  keyword: Span;
  state: Ident | undefined;
  hamiltonian: Ident | undefined;
  time: Expr;
  alias: Ident | undefined;
  options: OptionLine[];
  headerSpan: Span;
  bodySpan: Span | undefined;
  span: Span;
}

export type Statement = QubitsStmt | ParamStmt | HamiltonianStmt | StateStmt | EvolveStmt;

export interface FileAst { statements: Statement[]; length: number }

/** Visits every expression below `e`, parents before children (iteratively: chains can be long). */
export function walkExpr(root: Expr, f: (e: Expr) => void): void {
  const stack: Expr[] = [root];
  while (stack.length) {
    const e = stack.pop()!;
    f(e);
    const kids = childExprs(e);
    for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]);
  }
}

/** The direct sub-expressions of an expression, in source order. */
export function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case 'pauli': return [e.index];
    case 'index': return [e.target, e.index];
    case 'call': return [e.callee, ...e.args];
    case 'unary': return [e.operand];
    case 'binary': return [e.left, e.right];
    case 'paren': return [e.expr];
    case 'array': return e.elements;
    case 'sum': return [e.variable, e.from, e.to, ...(e.step ? [e.step] : []), ...e.body];
    default: return [];
  }
}

/** The top-level expressions of a statement. */
export function statementExprs(s: Statement): Expr[] {
  switch (s.kind) {
    case 'qubits': return [s.value];
    case 'param': return [s.value];
    case 'hamiltonian': return s.lines;
    case 'state': return [];
    case 'evolve': return [s.time, ...s.options.map((o) => o.value)];
  }
}
