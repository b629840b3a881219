// Error-tolerant recursive-descent parser. After an error it stays quiet until the next line or
// statement, so one typo gives one diagnostic; every node keeps its exact span.
import type { Span } from '../model/span';
import type {
  BinaryOp, EvolveStmt, Expr, FileAst, HamiltonianStmt, Ident, OptionLine, ParamStmt, QubitsStmt,
  Statement, StateSpec, StateStmt, SumExpr,
} from './ast';
import { CODES, type Code, DiagnosticSink } from './diagnostics';
import { STATEMENT_KEYWORDS, type Token, lex } from './lexer';
import { suggest } from './suggest';

/** Nesting beyond this is refused (QH902) instead of risking the stack. */
export const MAX_NESTING = 200;

export function parse(text: string, sink: DiagnosticSink): FileAst {
  return new Parser(lex(text, sink), sink, text.length).file();
}

class Parser {
  private pos = 0;
  /** > 0 inside ( ) or [ ]: newlines there continue the line. */
  private nlSkip = 0;
  /** Set after an error; cleared when the parser resynchronises at a line or statement. */
  private quiet = false;
  private depth = 0;

  constructor(private readonly toks: Token[], private readonly sink: DiagnosticSink, private readonly length: number) {}

  // ---- token access -------------------------------------------------------------------------

  private rawPeek(): Token {
    return this.toks[this.pos];
  }

  /** Next token; inside brackets, newlines are skipped unless the next line starts a statement. */
  private peek(): Token {
    if (this.nlSkip > 0) {
      let p = this.pos;
      while (this.toks[p].kind === 'newline') p++;
      const t = this.toks[p];
      if (p !== this.pos && (t.text === '}' || (t.kind === 'keyword' && STATEMENT_KEYWORDS.has(t.text)))) return this.toks[this.pos];
      this.pos = p;
    }
    return this.toks[this.pos];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private at(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'punct' || t.kind === 'keyword') && t.text === text;
  }

  private eat(text: string): Token | undefined {
    return this.at(text) ? this.next() : undefined;
  }

  private skipNewlines(): void {
    while (this.toks[this.pos].kind === 'newline') this.pos++;
  }

  /** After a trailing operator the line continues, unless the next line starts a statement or closes a block. */
  private continueLine(): void {
    let p = this.pos;
    while (this.toks[p].kind === 'newline') p++;
    const t = this.toks[p];
    if (t.text === '}' || (t.kind === 'keyword' && STATEMENT_KEYWORDS.has(t.text))) return;
    this.pos = p;
  }

  private prevEnd(): number {
    return this.pos > 0 ? this.toks[this.pos - 1].end : 0;
  }

  // ---- errors ---------------------------------------------------------------------------------

  private error(code: Code, span: Span, message: string, fix?: { title: string; newText: string; span?: Span }): void {
    if (this.quiet) return;
    span = { start: span.start, end: span.end };
    this.sink.error(code, span, message, fix ? { fix: { title: fix.title, edits: [{ span: fix.span ?? span, newText: fix.newText }] } } : undefined);
    this.quiet = true;
  }

  private expect(text: string, what: string): Token | undefined {
    const t = this.eat(text);
    if (t) return t;
    const found = this.peek();
    // Point at the end of the previous token when the line simply stops.
    const where = found.kind === 'newline' || found.kind === 'eof' ? { start: this.prevEnd(), end: this.prevEnd() } : { start: found.start, end: found.end };
    this.error(CODES.SyntaxError, where, `Expected \`${text}\` ${what}, found ${describe(found)}.`);
    return undefined;
  }

  /** Skips the rest of the line (and any braces opened on it). */
  private skipLine(): void {
    let braces = 0;
    for (;;) {
      const t = this.toks[this.pos];
      if (t.kind === 'eof') return;
      if (t.kind === 'newline' && braces <= 0) return;
      if (t.text === '{' && t.kind === 'punct') braces++;
      if (t.text === '}' && t.kind === 'punct') {
        if (braces === 0) return;
        braces--;
      }
      this.pos++;
    }
  }

  // ---- statements -----------------------------------------------------------------------------

  file(): FileAst {
    const statements: Statement[] = [];
    for (;;) {
      this.nlSkip = 0;
      this.skipNewlines();
      this.quiet = false;
      const t = this.rawPeek();
      if (t.kind === 'eof') break;
      const s = this.statement();
      if (s) statements.push(s);
      this.endOfStatement();
    }
    return { statements, length: this.length };
  }

  private endOfStatement(): void {
    const t = this.rawPeek();
    if (t.kind === 'newline' || t.kind === 'eof') return;
    // A block left unclosed stops at the next statement (already reported): parse it normally.
    if (t.kind === 'keyword' && STATEMENT_KEYWORDS.has(t.text) && this.toks[this.pos - 1]?.kind === 'newline') return;
    if (t.text === '}' && t.kind === 'punct') {
      this.error(CODES.SyntaxError, t, 'Unexpected `}`: there is no open `{` for it to close.', { title: 'Remove `}`', newText: '' });
      this.pos++;
    } else {
      this.error(CODES.SyntaxError, { start: t.start, end: t.end }, `Unexpected ${describe(t)} after the end of the statement; each statement goes on its own line.`);
    }
    this.skipLine();
    if (this.rawPeek().text === '}') this.pos++;
  }

  private statement(): Statement | undefined {
    const t = this.rawPeek();
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'qubits': return this.qubits();
        case 'param': return this.param();
        case 'hamiltonian': return this.hamiltonian();
        case 'state': return this.state();
        case 'evolve': return this.evolve();
        default: break;
      }
    }
    if (t.kind === 'ident') {
      const guess = suggest(t.text, STATEMENT_KEYWORDS);
      this.error(
        CODES.UnknownStatement, t,
        `Unknown statement \`${t.text}\`${guess ? `; did you mean \`${guess}\`?` : '. A line starts with qubits, param, hamiltonian, state or evolve.'}`,
        guess ? { title: `Change to \`${guess}\``, newText: guess } : undefined,
      );
    } else {
      this.error(CODES.SyntaxError, t, `Expected a statement (qubits, param, hamiltonian, state or evolve), found ${describe(t)}.`);
    }
    this.skipLine();
    return undefined;
  }

  private name(what: string): Ident | undefined {
    const t = this.peek();
    if (t.kind === 'ident') {
      this.pos++;
      return { kind: 'ident', name: t.text, span: { start: t.start, end: t.end } };
    }
    if (t.kind === 'keyword') {
      this.error(CODES.ReservedName, t, `\`${t.text}\` is a keyword and cannot be used as ${what}.`);
      this.pos++;
      return undefined;
    }
    const where = t.kind === 'newline' || t.kind === 'eof' ? { start: this.prevEnd(), end: this.prevEnd() } : t;
    this.error(CODES.SyntaxError, where, `Expected ${what}, found ${describe(t)}.`);
    return undefined;
  }

  private qubits(): QubitsStmt {
    const kw = this.next();
    const value = this.expr();
    return { kind: 'qubits', keyword: { start: kw.start, end: kw.end }, value, span: { start: kw.start, end: this.prevEnd() } };
  }

  private param(): ParamStmt | undefined {
    const kw = this.next();
    const name = this.name('a parameter name');
    if (!name) { this.skipLine(); return undefined; }
    if (!this.expect('=', `after \`param ${name.name}\``)) {
      this.skipLine();
      return { kind: 'param', name, value: { kind: 'missing', span: name.span }, span: { start: kw.start, end: this.prevEnd() } };
    }
    const value = this.expr();
    return { kind: 'param', name, value, span: { start: kw.start, end: this.prevEnd() } };
  }

  private hamiltonian(): HamiltonianStmt | undefined {
    const kw = this.next();
    const name = this.name('a Hamiltonian name');
    if (!name) { this.skipLine(); return undefined; }
    const body = this.body(`hamiltonian ${name.name}`, () => this.expr());
    if (!body) { this.skipLine(); return undefined; }
    return { kind: 'hamiltonian', name, lines: body.items, bodySpan: body.span, span: { start: kw.start, end: this.prevEnd() } };
  }

  private state(): StateStmt | undefined {
    const kw = this.next();
    const name = this.name('a state name');
    if (!name) { this.skipLine(); return undefined; }
    if (!this.expect('=', `after \`state ${name.name}\``)) {
      this.skipLine();
      return { kind: 'state', name, value: undefined, span: { start: kw.start, end: this.prevEnd() } };
    }
    const t = this.peek();
    let value: StateSpec | undefined;
    if (t.kind === 'ident') {
      this.pos++;
      const word: Ident = { kind: 'ident', name: t.text, span: { start: t.start, end: t.end } };
      if (t.text === 'bits') {
        const s = this.peek();
        if (s.kind === 'string') {
          this.pos++;
          value = { kind: 'bits', word, bits: { value: String(s.value), span: { start: s.start, end: s.end } }, span: { start: t.start, end: s.end } };
        } else {
          this.error(CODES.SyntaxError, s.kind === 'newline' || s.kind === 'eof' ? { start: t.end, end: t.end } : s, `Expected a bit string after \`bits\`, as in \`bits "0110"\`, found ${describe(s)}.`);
          value = { kind: 'bits', word, span: word.span };
        }
      } else {
        const kind = t.text === 'zero' || t.text === 'neel' || t.text === 'plus' ? t.text : 'unknown';
        value = { kind, word, span: word.span };
      }
    } else {
      this.error(CODES.SyntaxError, t.kind === 'newline' || t.kind === 'eof' ? { start: this.prevEnd(), end: this.prevEnd() } : t,
        `Expected a state (zero, neel, plus or bits "…"), found ${describe(t)}.`);
    }
    return { kind: 'state', name, value, span: { start: kw.start, end: this.prevEnd() } };
  }

  private evolve(): EvolveStmt {
    const kw = this.next();
    const state = this.name('the name of a state');
    let hamiltonian: Ident | undefined;
    let time: Expr = { kind: 'missing', span: { start: this.prevEnd(), end: this.prevEnd() } };
    let alias: Ident | undefined;
    if (state && this.expect('under', `after the state in \`evolve ${state.name} under H for t\``)) {
      hamiltonian = this.name('the name of a Hamiltonian');
      if (hamiltonian && this.expect('for', `after \`under ${hamiltonian.name}\` (the evolution time follows: \`for 1.0\`)`)) {
        time = this.expr();
        if (this.eat('as')) alias = this.name('a name for the evolve block');
      }
    }
    const headerSpan = { start: kw.start, end: this.prevEnd() };
    let options: OptionLine[] = [];
    let bodySpan: Span | undefined;
    if (this.at('{') || this.nextLineOpensBlock()) {
      const body = this.body('the evolve block', () => this.option());
      if (body) {
        options = body.items.filter((o): o is OptionLine => o !== undefined);
        bodySpan = body.span;
      }
    } else if (this.rawPeek().kind !== 'newline' && this.rawPeek().kind !== 'eof') {
      const t = this.peek();
      this.error(CODES.SyntaxError, t, `Expected \`{\` with the block's options, or the end of the line, found ${describe(t)}.`);
      this.skipLine();
    }
    return { kind: 'evolve', keyword: { start: kw.start, end: kw.end }, state, hamiltonian, time, alias, options, headerSpan, bodySpan, span: { start: kw.start, end: this.prevEnd() } };
  }

  private option(): OptionLine | undefined {
    const t = this.peek();
    if (t.kind !== 'ident' && t.kind !== 'keyword') {
      this.error(CODES.SyntaxError, t, `Expected an option such as \`layers = 3\`, found ${describe(t)}.`);
      return undefined;
    }
    this.pos++;
    const key: Ident = { kind: 'ident', name: t.text, span: { start: t.start, end: t.end } };
    if (!this.expect('=', `after \`${t.text}\``)) return undefined;
    const value = this.expr();
    return { key, value, span: { start: t.start, end: this.prevEnd() } };
  }

  /**
   * `{ item \n item … }`. Recovers from a missing `}` when a new statement begins, reporting it
   * once at the opening brace.
   */
  private body<T>(what: string, item: () => T): { items: T[]; span: Span } | undefined {
    // Allman style: the `{` may stand on the next line.
    let p = this.pos;
    while (this.toks[p].kind === 'newline') p++;
    if (this.toks[p].text === '{' && this.toks[p].kind === 'punct') this.pos = p;
    const open = this.expect('{', `to open the body of ${what}`);
    if (!open) return undefined;
    const savedSkip = this.nlSkip;
    this.nlSkip = 0;
    const items: T[] = [];
    let end = open.end;
    for (;;) {
      this.skipNewlines();
      const t = this.rawPeek();
      if (t.kind === 'punct' && t.text === '}') {
        this.pos++;
        end = t.end;
        break;
      }
      if (t.kind === 'eof' || (t.kind === 'keyword' && STATEMENT_KEYWORDS.has(t.text))) {
        this.quiet = false;
        this.error(CODES.UnclosedBracket, { start: open.start, end: open.end }, `This \`{\` of ${what} is never closed: add \`}\`${t.kind === 'eof' ? ' at the end' : ` before \`${t.text}\` on line ${1 + this.lineOf(t.start)}`}.`);
        end = this.prevEnd();
        break;
      }
      this.quiet = false;
      items.push(item());
      const after = this.rawPeek();
      if (after.kind === 'newline' || after.kind === 'eof' || (after.kind === 'punct' && after.text === '}')) continue;
      this.error(CODES.SyntaxError, after, `Unexpected ${describe(after)}; expected the end of the line.`);
      this.skipLine();
    }
    this.nlSkip = savedSkip;
    return { items, span: { start: open.start, end } };
  }

  private nextLineOpensBlock(): boolean {
    let p = this.pos;
    if (this.toks[p].kind !== 'newline') return false;
    while (this.toks[p].kind === 'newline') p++;
    return this.toks[p].kind === 'punct' && this.toks[p].text === '{';
  }

  private lineOf(offset: number): number {
    let n = 0;
    for (const t of this.toks) {
      if (t.start >= offset) break;
      if (t.kind === 'newline') n++;
    }
    return n;
  }

  // ---- expressions ----------------------------------------------------------------------------

  expr(): Expr {
    if (++this.depth > MAX_NESTING) {
      const t = this.peek();
      this.error(CODES.TooDeep, t, `Expression nested more than ${MAX_NESTING} levels deep.`);
      this.depth--;
      // Skip the rest so we do not recurse further.
      this.skipLine();
      return { kind: 'missing', span: { start: t.start, end: t.start } };
    }
    try {
      return this.additive();
    } finally {
      this.depth--;
    }
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || (t.text !== '+' && t.text !== '-')) return left;
      this.pos++;
      this.continueLine();
      const right = this.multiplicative();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, span: { start: left.span.start, end: right.span.end } };
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      let op: BinaryOp;
      if (t.kind === 'punct' && (t.text === '*' || t.text === '/' || t.text === '%')) {
        this.pos++;
        this.continueLine();
        op = t.text;
      } else if (startsOperand(t)) {
        op = 'juxt';
      } else {
        return left;
      }
      const right = this.unary();
      left = { kind: 'binary', op, left, right, span: { start: left.span.start, end: right.span.end } };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.text === '-' || t.text === '+')) {
      this.pos++;
      if (++this.depth > MAX_NESTING) {
        this.depth--;
        this.error(CODES.TooDeep, t, `Expression nested more than ${MAX_NESTING} levels deep.`);
        this.skipLine();
        return { kind: 'missing', span: { start: t.start, end: t.end } };
      }
      const operand = this.unary();
      this.depth--;
      return { kind: 'unary', op: t.text, operand, span: { start: t.start, end: operand.span.end } };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '^') {
      this.pos++;
      this.continueLine();
      if (++this.depth > MAX_NESTING) {
        this.depth--;
        this.error(CODES.TooDeep, t, `Expression nested more than ${MAX_NESTING} levels deep.`);
        this.skipLine();
        return base;
      }
      const exp = this.unary(); // right-associative: 2^3^2 = 2^9; allows 2^-1
      this.depth--;
      return { kind: 'binary', op: '^', left: base, right: exp, span: { start: base.span.start, end: exp.span.end } };
    }
    return base;
  }

  private primary(): Expr {
    const t = this.peek();
    const sp = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'number':
        this.pos++;
        return { kind: 'number', value: t.value as number, span: sp };
      case 'string':
        this.pos++;
        return { kind: 'string', value: String(t.value), span: sp };
      case 'ident': {
        this.pos++;
        const id: Ident = { kind: 'ident', name: t.text, span: sp };
        const n = this.rawPeek();
        if (n.kind === 'punct' && n.text === '[') {
          this.pos++;
          this.nlSkip++;
          const index = this.expr();
          const close = this.closeBracket(']', n);
          this.nlSkip--;
          const span = { start: t.start, end: close };
          if (t.text === 'X' || t.text === 'Y' || t.text === 'Z' || t.text === 'I') return { kind: 'pauli', letter: t.text, letterSpan: sp, index, span };
          return { kind: 'index', target: id, index, span };
        }
        if (n.kind === 'punct' && n.text === '(') {
          this.pos++;
          this.nlSkip++;
          const args: Expr[] = [];
          if (!this.at(')')) {
            do {
              this.skipNewlines();
              args.push(this.expr());
            } while (this.eat(','));
          }
          const close = this.closeBracket(')', n);
          this.nlSkip--;
          return { kind: 'call', callee: id, args, span: { start: t.start, end: close } };
        }
        return id;
      }
      case 'keyword':
        if (t.text === 'sum') return this.sum();
        break;
      case 'punct':
        if (t.text === '(') {
          this.pos++;
          this.nlSkip++;
          const inner = this.expr();
          const close = this.closeBracket(')', t);
          this.nlSkip--;
          return { kind: 'paren', expr: inner, span: { start: t.start, end: close } };
        }
        if (t.text === '[') {
          this.pos++;
          this.nlSkip++;
          const elements: Expr[] = [];
          if (!this.at(']')) {
            do {
              if (this.at(']')) break; // trailing comma
              elements.push(this.expr());
            } while (this.eat(','));
          }
          const close = this.closeBracket(']', t);
          this.nlSkip--;
          return { kind: 'array', elements, span: { start: t.start, end: close } };
        }
        break;
      default:
        break;
    }
    const where = t.kind === 'newline' || t.kind === 'eof' ? { start: this.prevEnd(), end: this.prevEnd() } : sp;
    this.error(CODES.SyntaxError, where, `Expected an expression, found ${describe(t)}.`);
    return { kind: 'missing', span: where };
  }

  /** Consumes a closing bracket or reports the unclosed opener; returns the end offset. */
  private closeBracket(close: string, open: Token): number {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === close) {
      this.pos++;
      return t.end;
    }
    this.error(CODES.UnclosedBracket, { start: open.start, end: open.end },
      `This \`${open.text}\` is never closed: expected \`${close}\`, found ${describe(t)}.`,
      t.kind === 'newline' || t.kind === 'eof' || t.text === '}' ? { title: `Insert \`${close}\``, newText: close, span: { start: this.prevEnd(), end: this.prevEnd() } } : undefined);
    return this.prevEnd();
  }

  private sum(): Expr {
    const kw = this.next();
    const variable = this.name('a loop variable, as in `sum i in 0..n-1 { … }`');
    if (!variable || !this.expect('in', `after \`sum ${variable.name}\` (as in \`sum ${variable.name} in 0..n-1 { … }\`)`)) {
      return { kind: 'missing', span: { start: kw.start, end: this.prevEnd() } };
    }
    const from = this.additive();
    let to: Expr = { kind: 'missing', span: { start: this.prevEnd(), end: this.prevEnd() } };
    if (this.expect('..', 'between the ends of the range, as in `0..n-1` (both ends included)')) to = this.additive();
    let step: Expr | undefined;
    if (this.eat('step')) step = this.additive();
    const body = this.body(`sum ${variable.name}`, () => this.expr());
    if (!body) return { kind: 'missing', span: { start: kw.start, end: this.prevEnd() } };
    const s: SumExpr = { kind: 'sum', variable, from, to, step, body: body.items, bodySpan: body.span, span: { start: kw.start, end: body.span.end } };
    return s;
  }
}

function startsOperand(t: Token): boolean {
  if (t.kind === 'number' || t.kind === 'ident') return true;
  if (t.kind === 'keyword') return t.text === 'sum';
  return t.kind === 'punct' && t.text === '(';
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'the end of the file';
    case 'newline': return 'the end of the line';
    case 'string': return `the string ${t.text}`;
    case 'number': return `the number \`${t.text}\``;
    case 'keyword': return `the keyword \`${t.text}\``;
    default: return `\`${t.text}\``;
  }
}
