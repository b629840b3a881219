// Evaluator and checker: computes every value of a resolved file and builds the typed Program.
// Errors poison the value they occur in, so each mistake is reported once.
import type { Span } from '../model/span';
import type { PauliSum, PauliTerm, TermOrigin } from '../model/pauli';
import { firstNonChainTerm, formatPauliString, formatNumber } from '../model/pauli';
import type { EvolveBlock, EvolveOptions, Hamiltonian, Program, ProductState } from '../model/program';
import { DEFAULT_OPTIONS } from '../model/program';
import type { EvolveStmt, Expr, FileAst, HamiltonianStmt, Ident, PauliAtom, StateStmt, SumExpr } from './ast';
import { CONSTANTS, FUNCTIONS, OPTIONS, OPTION_BY_KEY } from './builtins';
import { CODES, DiagnosticSink } from './diagnostics';
import { type OpSum, addInto, constant, multiply, scaled, single, stampOrigin } from './pauli-builder';
import { type Resolution, lineNumber } from './resolve';
import { type EvalCache, shiftDiagnostic, shiftSum, statementNodes } from './eval-cache';
import { walkExpr } from './ast';
import { suggest } from './suggest';

export const LIMITS = {
  maxQubits: 1024,
  maxTerms: 1_000_000,
  maxRange: 1_000_000,
  /** Expression evaluations per file: a bound on nested loops that produce nothing. */
  maxWork: 50_000_000,
  maxArray: 1_000_000,
  maxString: 4096,
  maxPower: 64,
  maxLayers: 1000,
  maxTargetSteps: 100_000,
  maxBond: 1024,
  maxIterations: 1_000_000,
} as const;

type Value =
  | { t: 'num'; v: number }
  | { t: 'arr'; v: readonly number[] }
  | { t: 'op'; v: OpSum }
  | { t: 'str'; v: string }
  | { t: 'err' };

const ERR: Value = { t: 'err' };

/** What hovers show about expressions, gathered while evaluating. */
export interface SemanticInfo {
  /** Qubits each Pauli atom touched, over all loop iterations. */
  atoms: Map<PauliAtom, Set<number>>;
  sums: Map<SumExpr, SumInfo>;
  params: Map<string, number | readonly number[]>;
  hamiltonians: Map<string, Hamiltonian>;
  states: Map<string, ProductState>;
  /** Every evolve statement's options with defaults filled in (also for blocks with errors). */
  evolveOptions: Map<EvolveStmt, { options: EvolveOptions; explicit: string[]; time?: number; name: string }>;
}

export interface SumInfo {
  evaluations: number;
  /** Evaluations whose range was empty. */
  emptyEvaluations: number;
  terms: number;
  min: number;
  max: number;
  iterations: number;
  /** The body had an error: `terms` is incomplete. */
  failed: boolean;
  /** Values of the last empty range seen. */
  emptyRange?: [number, number];
}

interface Frame { name: string; value: number; parent: Frame | undefined }

class Abort extends Error {}

export interface EvaluateOptions {
  overrides?: ReadonlyMap<string, number | readonly number[]>;
  /** Evaluations kept from the previous analysis of the same document. */
  cache?: EvalCache;
}

export function evaluate(ast: FileAst, text: string, res: Resolution, sink: DiagnosticSink, opts: EvaluateOptions = {}): { program: Program; info: SemanticInfo } {
  return new Evaluator(ast, text, res, sink, opts).run();
}

class Evaluator {
  private n: number | undefined;
  private qubitsSeen = false;
  private work = 0;
  private readonly info: SemanticInfo = { atoms: new Map(), sums: new Map(), params: new Map(), hamiltonians: new Map(), states: new Map(), evolveOptions: new Map() };
  /** Names whose definition failed: uses stay quiet. */
  private readonly poisoned = new Set<string>();

  constructor(private readonly ast: FileAst, private readonly text: string, private readonly res: Resolution, private readonly sink: DiagnosticSink, private readonly opts: EvaluateOptions) {}

  run(): { program: Program; info: SemanticInfo } {
    const evolves: EvolveBlock[] = [];
    let evolveIndex = 0;
    for (const s of this.ast.statements) {
      try {
        switch (s.kind) {
          case 'qubits': this.qubits(s.value, s.span); break;
          case 'param': {
            if (this.res.broken.has(s.name)) { this.paramValue(s.value, s.name.name); break; }
            const v = this.paramValue(s.value, s.name.name);
            if (v === undefined) this.poisoned.add(s.name.name);
            else this.info.params.set(s.name.name, v);
            break;
          }
          case 'hamiltonian': if (!this.res.broken.has(s.name)) this.cachedHamiltonian(s); break;
          case 'state': if (!this.res.broken.has(s.name)) this.state(s); break;
          case 'evolve': {
            evolveIndex++;
            const b = this.evolve(s, evolveIndex);
            if (b) evolves.push(b);
            break;
          }
        }
      } catch (e) {
        if (!(e instanceof Abort)) throw e;
        if (s.kind === 'param' || s.kind === 'hamiltonian' || s.kind === 'state') this.poisoned.add(s.name.name);
        if (this.work > LIMITS.maxWork) break;
      }
    }
    // A misspelt `qubits` line is already reported with its fix; do not add "missing qubits" too.
    const misspelt = this.sink.list.some((d) => d.code === CODES.UnknownStatement && d.fix?.edits[0]?.newText === 'qubits');
    if (!this.qubitsSeen && !misspelt) {
      const first = this.ast.statements[0];
      const at = first ? { start: first.span.start, end: first.span.start } : { start: 0, end: 0 };
      this.sink.error(CODES.MissingQubits, at, 'The file has no `qubits` statement; add one at the top, such as `qubits 20`.', {
        fix: { title: 'Add `qubits`', edits: [{ span: at, newText: 'qubits 10\n' }] },
      });
    }
    this.emptyRanges();
    this.unused();
    const program: Program = { qubits: this.n, params: this.info.params, hamiltonians: this.info.hamiltonians, states: this.info.states, evolves };
    return { program, info: this.info };
  }

  // ---- statements -----------------------------------------------------------------------------

  private qubits(e: Expr, span: Span): void {
    if (this.qubitsSeen) {
      this.sink.error(CODES.DuplicateQubits, span, 'A second `qubits` statement: a file has exactly one register; remove this line.', {
        fix: { title: 'Remove this `qubits`', edits: [{ span, newText: '' }] },
      });
      return;
    }
    this.qubitsSeen = true;
    const v = this.scalar(e, undefined, 'the register size');
    if (v === undefined) return;
    if (!Number.isInteger(v)) {
      this.sink.error(CODES.NotAnInteger, e.span, `The register size must be a whole number, found ${formatNumber(v)}.`);
    } else if (v < 1 || v > LIMITS.maxQubits) {
      this.sink.error(CODES.RegisterSize, e.span, `The register size must be between 1 and ${LIMITS.maxQubits}, found ${v}.`);
    } else {
      this.n = v;
    }
  }

  private paramValue(e: Expr, name: string): number | readonly number[] | undefined {
    const override = this.opts.overrides?.get(name);
    const v = e.kind === 'array' ? this.array(e) : this.eval(e, undefined);
    if (override !== undefined) return override;
    switch (v.t) {
      case 'num': return v.v;
      case 'arr': return v.v;
      case 'err': return undefined;
      case 'op':
        this.sink.error(CODES.TypeMismatch, e.span, `A param is a number or an array of numbers, but this is an operator; put operators in a \`hamiltonian\`.`);
        return undefined;
      case 'str':
        this.sink.error(CODES.TypeMismatch, e.span, 'A param is a number or an array of numbers, not a string.');
        return undefined;
    }
  }

  private array(e: Expr & { kind: 'array' }): Value {
    if (e.elements.length > LIMITS.maxArray) {
      this.sink.error(CODES.TooLong, e.span, `An array may hold at most ${LIMITS.maxArray.toLocaleString('en')} values; this one has ${e.elements.length.toLocaleString('en')}.`);
      return ERR;
    }
    const out: number[] = [];
    let ok = true;
    for (const el of e.elements) {
      const x = this.scalar(el, undefined, 'an array element');
      if (x === undefined) ok = false;
      else out.push(x);
    }
    return ok ? { t: 'arr', v: out } : ERR;
  }

  /** Keys of this analysis' Hamiltonians, so a Hamiltonian used by another is part of its key. */
  private readonly hamiltonianKeys = new Map<string, string>();

  /** The Hamiltonian from the cache when its text and inputs are unchanged, else evaluated. */
  private cachedHamiltonian(s: HamiltonianStmt): void {
    const cache = this.opts.cache;
    if (!cache) { this.hamiltonian(s); return; }
    const key = this.hamiltonianKey(s);
    this.hamiltonianKeys.set(s.name.name, key);
    const base = s.span.start;
    const nodes = statementNodes(s);
    const hit = cache.get(key);
    if (hit) {
      for (const d of hit.diagnostics) this.sink.add(shiftDiagnostic(d, base));
      hit.atoms.forEach((set, i) => { if (set) this.info.atoms.set(nodes.atoms[i], set); });
      hit.sums.forEach((info, i) => { if (info) this.info.sums.set(nodes.sums[i], { ...info }); });
      this.work += hit.work;
      if (hit.sum) this.info.hamiltonians.set(s.name.name, { name: s.name.name, sum: shiftSum(hit.sum, base), span: s.span, content: hit.sum });
      else this.poisoned.add(s.name.name);
      return;
    }
    const before = this.sink.list.length;
    const work0 = this.work;
    this.hamiltonian(s); // an Abort propagates: such results are not cached
    const h = this.info.hamiltonians.get(s.name.name);
    const relative = h && !this.poisoned.has(s.name.name) ? shiftSum(h.sum, -base) : undefined;
    if (h && relative) this.info.hamiltonians.set(s.name.name, { ...h, content: relative });
    cache.set(key, {
      sum: relative,
      diagnostics: this.sink.list.slice(before).map((d) => shiftDiagnostic(d, -base)),
      atoms: nodes.atoms.map((a) => this.info.atoms.get(a)),
      sums: nodes.sums.map((x) => { const i = this.info.sums.get(x); return i && { ...i }; }),
      work: this.work - work0,
    });
  }

  /** The statement's text plus the values of every outside name it uses. */
  private hamiltonianKey(s: HamiltonianStmt): string {
    const deps: string[] = [`n=${this.n}`];
    for (const line of s.lines) {
      walkExpr(line, (e) => {
        if (e.kind !== 'ident') return;
        if (this.res.broken.has(e)) { deps.push(`${e.name}!`); return; }
        const def = this.res.refs.get(e);
        if (!def) return;
        if (def.kind === 'param') deps.push(`${e.name}=${this.poisoned.has(e.name) ? '!' : JSON.stringify(this.info.params.get(e.name))}`);
        else if (def.kind === 'hamiltonian') deps.push(`${e.name}#${this.poisoned.has(e.name) ? '!' : this.hamiltonianKeys.get(e.name) ?? '?'}`);
      });
    }
    return `${this.text.slice(s.span.start, s.span.end)}\u0000${deps.join('\u0001')}`;
  }

  private hamiltonian(s: HamiltonianStmt): void {
    const acc: OpSum = new Map();
    let ok = true;
    for (const line of s.lines) {
      const v = this.eval(line, undefined);
      if (v.t === 'op') {
        stampOrigin(v.v, { span: line.span, bindings: [] });
        addInto(acc, v.v);
      } else if (v.t === 'num' || v.t === 'arr') {
        this.sink.error(CODES.ScalarLine, line.span, 'This line is a number, not an operator: each line of a Hamiltonian is a sum of Pauli products such as `J * Z[0] Z[1]`. For a constant energy shift write `c * I[0]`.');
        ok = false;
      } else if (v.t === 'str') {
        this.sink.error(CODES.TypeMismatch, line.span, 'A string cannot be part of a Hamiltonian.');
        ok = false;
      } else ok = false;
    }
    const terms = this.finishSum(acc, s.name.name);
    if (!terms) ok = false;
    if (!ok || !terms || this.n === undefined) {
      this.poisoned.add(s.name.name);
      return;
    }
    const emptyRange = [...this.info.sums].some(([e, i]) => i.evaluations > 0 && i.emptyEvaluations === i.evaluations && e.span.start >= s.bodySpan.start && e.span.end <= s.bodySpan.end);
    if (terms.length === 0 && !emptyRange) {
      this.sink.warning(CODES.EmptyHamiltonian, s.name.span, `Hamiltonian \`${s.name.name}\` has no terms${s.lines.length ? ' (they cancel or vanish)' : ''}: evolving under it does nothing.`);
    }
    const sum: PauliSum = { qubits: this.n, terms };
    this.info.hamiltonians.set(s.name.name, { name: s.name.name, sum, span: s.span });
  }

  /** Converts a builder sum into real terms; non-Hermitian terms are errors naming the term. */
  private finishSum(acc: OpSum, name: string): PauliTerm[] | undefined {
    const terms: PauliTerm[] = [];
    let ok = true;
    for (const t of acc.values()) {
      const mag = Math.hypot(t.re, t.im);
      if (mag < 1e-12) continue;
      if (Math.abs(t.im) > 1e-12 * Math.max(1, Math.abs(t.re))) {
        const where = t.origin ? t.origin.span : { start: 0, end: 0 };
        const coeff = Math.abs(t.re) < 1e-12 ? `${formatNumber(t.im)}i` : `(${formatNumber(t.re)} ${t.im < 0 ? '-' : '+'} ${formatNumber(Math.abs(t.im))}i)`;
        this.sink.error(CODES.NonHermitian, where, `Hamiltonian \`${name}\` is not Hermitian: the term ${coeff} * ${formatPauliString(t)}${bindingsText(t.origin)} has an imaginary coefficient. Products of Paulis on the same qubit give factors of i (X[0] Y[0] = i Z[0]); check the order of the factors or add the Hermitian conjugate.`);
        ok = false;
        continue;
      }
      terms.push({ coeff: t.re, factors: t.factors, origin: t.origin });
    }
    if (!ok) return undefined;
    // A stable order: by locality, then by qubits — what summaries and circuits expect.
    terms.sort(compareTerms);
    return terms;
  }

  private state(s: StateStmt): void {
    const spec = s.value;
    if (!spec) { this.poisoned.add(s.name.name); return; }
    const n = this.n;
    let labels: string | undefined;
    switch (spec.kind) {
      case 'zero': if (n !== undefined) labels = '0'.repeat(n); break;
      case 'plus': if (n !== undefined) labels = '+'.repeat(n); break;
      case 'neel': if (n !== undefined) labels = Array.from({ length: n }, (_, k) => (k % 2 ? '1' : '0')).join(''); break;
      case 'bits': {
        if (!spec.bits) break;
        const b = spec.bits.value;
        const bad = [...b].findIndex((ch) => ch !== '0' && ch !== '1');
        if (bad >= 0) {
          this.sink.error(CODES.BitsCharacters, spec.bits.span, `A bit string holds only 0 and 1; character ${bad} is \`${[...b][bad]}\`.`);
          break;
        }
        if (n !== undefined && b.length !== n) {
          this.sink.error(CODES.BitsLength, spec.bits.span, `The bit string has ${b.length} characters but the register has ${n} qubits; character k is qubit k.`,
            b.length < n ? { fix: { title: `Pad with 0s to ${n} bits`, edits: [{ span: spec.bits.span, newText: `"${b}${'0'.repeat(n - b.length)}"` }] } } : undefined);
          break;
        }
        if (n !== undefined) labels = b;
        break;
      }
      case 'unknown': {
        const guess = suggest(spec.word.name, ['zero', 'neel', 'plus', 'bits']);
        this.sink.error(CODES.UnknownState, spec.word.span, `Unknown state \`${spec.word.name}\`${guess ? `; did you mean \`${guess}\`?` : '.'} States: zero, neel, plus, or bits "0101…".`,
          guess ? { fix: { title: `Change to \`${guess}\``, edits: [{ span: spec.word.span, newText: guess }] } } : undefined);
        break;
      }
    }
    if (labels === undefined) { this.poisoned.add(s.name.name); return; }
    const kind = spec.kind === 'unknown' ? 'zero' : spec.kind;
    this.info.states.set(s.name.name, { name: s.name.name, kind, labels, span: s.span });
  }

  private evolve(s: EvolveStmt, index: number): EvolveBlock | undefined {
    const name = s.alias?.name ?? this.defaultName(index);
    let ok = true;
    const options: EvolveOptions = { ...DEFAULT_OPTIONS };
    const explicit: string[] = [];
    const seen = new Map<string, Span>();
    for (const o of s.options) {
      const key = o.key.name;
      const spec = OPTION_BY_KEY.get(key);
      if (!spec) {
        const guess = suggest(key, OPTIONS.map((x) => x.key));
        this.sink.error(CODES.UnknownOption, o.key.span, `Unknown option \`${key}\`${guess ? `; did you mean \`${guess}\`?` : '.'} Options: ${OPTIONS.map((x) => x.key).join(', ')}.`,
          guess ? { fix: { title: `Change to \`${guess}\``, edits: [{ span: o.key.span, newText: guess }] } } : undefined);
        ok = false;
        continue;
      }
      const prev = seen.get(key);
      if (prev) {
        this.sink.error(CODES.DuplicateOption, o.key.span, `\`${key}\` is already set on line ${lineNumber(this.text, prev.start)}; set each option once.`, {
          related: [{ span: prev, message: `first \`${key}\`` }],
          fix: { title: `Remove this \`${key}\``, edits: [{ span: lineSpan(this.text, o.span), newText: '' }] },
        });
        ok = false;
        continue;
      }
      seen.set(key, o.key.span);
      if (this.option(options, key, o.value)) explicit.push(key);
      else ok = false;
    }
    const time = this.scalar(s.time, undefined, 'the evolution time');
    this.info.evolveOptions.set(s, { options, explicit, time, name });
    if (time === undefined) ok = false;
    else if (time === 0) {
      this.sink.warning(CODES.ZeroTime, s.time.span, 'Evolution for time 0: the circuit only prepares the initial state.');
    }
    const state = s.state && this.res.refs.has(s.state) ? this.info.states.get(s.state.name) : undefined;
    const ham = s.hamiltonian && this.res.refs.has(s.hamiltonian) ? this.info.hamiltonians.get(s.hamiltonian.name) : undefined;
    if (!state || !ham) ok = false;
    if (ham && options.method === 'aqc') {
      const bad = firstNonChainTerm(ham.sum);
      if (bad) {
        const where = bad.origin ? ` (line ${lineNumber(this.text, bad.origin.span.start)}${bindingsText(bad.origin)})` : '';
        const what = bad.factors.length > 2
          ? `acts on ${bad.factors.length} qubits`
          : `couples qubits ${bad.factors[0].qubit} and ${bad.factors[1].qubit}, which are not neighbours on the chain`;
        this.sink.error(CODES.NotNearestNeighbour, s.headerSpan,
          `method = aqc needs one- and two-qubit terms on neighbouring qubits i, i+1, but the term ${formatPauliString(bad)}${where} ${what}. Use \`method = trotter\` for this Hamiltonian.`, {
            fix: { title: 'Use `method = trotter`', edits: [methodTrotterEdit(s, this.text)] },
            related: bad.origin ? [{ span: bad.origin.span, message: `the term ${formatPauliString(bad)} comes from here` }] : undefined,
          });
        ok = false;
      }
    }
    if (!ok || !state || !ham || time === undefined) return undefined;
    return { name, index, state, hamiltonian: ham, time, options, explicitKeys: explicit, span: s.span, headerSpan: s.headerSpan };
  }

  /** `evolve<k>`, skipping names the file gives to other blocks. */
  private defaultName(index: number): string {
    const taken = new Set(this.ast.statements.flatMap((st) => (st.kind === 'evolve' && st.alias ? [st.alias.name] : [])));
    let name = `evolve${index}`;
    for (let k = 2; taken.has(name); k++) name = `evolve${index}_${k}`;
    return name;
  }

  /** Validates one option and stores it; false (after a diagnostic) when the value is wrong. */
  private option(opts: EvolveOptions, key: string, e: Expr): boolean {
    if (e.kind === 'missing') return false; // the syntax error is the one diagnostic
    const word = e.kind === 'ident' ? e.name : undefined;
    const bad = (msg: string, guess?: string) => {
      this.sink.error(CODES.InvalidOptionValue, e.span, msg, guess ? { fix: { title: `Change to \`${guess}\``, edits: [{ span: e.span, newText: guess }] } } : undefined);
      return false;
    };
    const int = (what: string, min: number, allowAuto: boolean, max = Infinity): number | 'auto' | undefined => {
      if (allowAuto && word === 'auto') return 'auto';
      if (word !== undefined && ['auto', 'aqc', 'trotter'].includes(word)) { bad(`\`${key}\` must be ${what}${allowAuto ? ' or `auto`' : ''}, found \`${word}\`.`); return undefined; }
      if (e.kind === 'string') { bad(`\`${key}\` takes ${what}, not a string.`); return undefined; }
      const v = this.scalar(e, undefined, `\`${key}\``);
      if (v === undefined) return undefined;
      if (!Number.isInteger(v) || v < min) { bad(`\`${key}\` must be ${what}${allowAuto ? ' or `auto`' : ''}, found ${formatNumber(v)}.`); return undefined; }
      if (v > max) { bad(`\`${key}\` is at most ${max.toLocaleString('en')}, found ${formatNumber(v)}.`); return undefined; }
      return v;
    };
    switch (key) {
      case 'method': {
        if (word === 'aqc' || word === 'trotter') { opts.method = word; return true; }
        const raw = e.kind === 'string' ? e.value : word;
        if (raw === 'aqc' || raw === 'trotter') return bad(`Write \`method = ${raw}\` without quotes.`, raw);
        const guess = raw ? suggest(raw, ['aqc', 'trotter']) : undefined;
        return bad(`\`method\` is \`aqc\` or \`trotter\`${raw ? `, found \`${raw}\`` : ''}${guess ? `; did you mean \`${guess}\`?` : '.'}`, guess);
      }
      case 'layers': { const v = int('a whole number ≥ 1', 1, true, LIMITS.maxLayers); if (v === undefined) return false; opts.layers = v; return true; }
      case 'target_steps': { const v = int('a whole number ≥ 1', 1, true, LIMITS.maxTargetSteps); if (v === undefined) return false; opts.targetSteps = v; return true; }
      case 'bond': { const v = int('a whole number ≥ 2', 2, false, LIMITS.maxBond); if (v === undefined) return false; opts.bond = v as number; return true; }
      case 'maxiter': { const v = int('a whole number ≥ 1', 1, false, LIMITS.maxIterations); if (v === undefined) return false; opts.maxiter = v as number; return true; }
      case 'seed': {
        const v = int('a whole number', -Number.MAX_SAFE_INTEGER, false, Number.MAX_SAFE_INTEGER);
        if (v === undefined) return false;
        opts.seed = v as number;
        return true;
      }
      case 'order': {
        const v = int('1 or 2', 1, false);
        if (v === undefined) return false;
        if (v !== 1 && v !== 2) return bad(`\`order\` is 1 or 2, found ${v}.`);
        opts.order = v;
        return true;
      }
      case 'fidelity': {
        if (e.kind === 'string') return bad('`fidelity` takes a number between 0 and 1, not a string.');
        const v = this.scalar(e, undefined, '`fidelity`');
        if (v === undefined) return false;
        if (!(v > 0 && v <= 1)) return bad(`\`fidelity\` must satisfy 0 < f ≤ 1, found ${formatNumber(v)}.`);
        opts.fidelity = v;
        return true;
      }
      case 'output': {
        if (e.kind !== 'string') return bad('`output` takes a path in quotes, such as `output = "out/circuit.qasm"`.');
        if (e.value.trim() === '') return bad('`output` is an empty path.');
        if (e.value.length > LIMITS.maxString) return bad(`\`output\` is longer than ${LIMITS.maxString} characters.`);
        if (/[\u0000-\u001f]/.test(e.value)) return bad('`output` contains control characters.');
        if (/^([/\\]|[A-Za-z]:)/.test(e.value)) return bad('`output` is a path relative to the .qham file (inside the workspace), not an absolute path.');
        opts.output = e.value;
        return true;
      }
    }
    return false;
  }

  // ---- expressions ----------------------------------------------------------------------------

  /** Evaluates a scalar expression; reports (once) and returns undefined on anything else. */
  private scalar(e: Expr, env: Frame | undefined, what: string): number | undefined {
    const v = this.eval(e, env);
    if (v.t === 'num') return v.v;
    if (v.t === 'err') return undefined;
    this.typeError(e, v, `${what} must be a number`);
    return undefined;
  }

  private typeError(e: Expr, v: Value, expected: string): void {
    const found = v.t === 'op' ? 'an operator' : v.t === 'arr' ? `an array of ${(v as { v: readonly number[] }).v.length} values (index it, as in \`a[i]\`)` : v.t === 'str' ? 'a string' : 'a number';
    this.sink.error(v.t === 'arr' ? CODES.ArrayWithoutIndex : CODES.TypeMismatch, e.span, `${capitalise(expected)}, but \`${this.src(e)}\` is ${found}.`);
  }

  private src(e: Expr | Span): string {
    const s = 'start' in e ? e : e.span;
    const t = this.text.slice(s.start, s.end).replace(/\s+/g, ' ');
    return t.length > 60 ? t.slice(0, 57) + '…' : t;
  }

  private eval(e: Expr, env: Frame | undefined): Value {
    if (++this.work > LIMITS.maxWork) {
      if (this.work === LIMITS.maxWork + 1) {
        this.sink.error(CODES.TooMuchWork, e.span, `Evaluation stopped: the file asks for more than ${LIMITS.maxWork.toLocaleString('en')} evaluation steps (nested sums?).`);
      }
      throw new Abort();
    }
    switch (e.kind) {
      case 'number':
        if (!Number.isFinite(e.value)) {
          this.sink.error(CODES.NotFinite, e.span, `The number \`${this.src(e)}\` is too large to represent (beyond about 1.8e308).`);
          return ERR;
        }
        return { t: 'num', v: e.value };
      case 'string': return { t: 'str', v: e.value };
      case 'missing': return ERR;
      case 'ident': return this.ident(e, env);
      case 'paren': return this.eval(e.expr, env);
      case 'array':
        this.sink.error(CODES.TypeMismatch, e.span, 'An array literal can only be the whole value of a `param`; arrays do not nest.');
        return ERR;
      case 'unary': {
        const v = this.eval(e.operand, env);
        if (e.op === '+') return v;
        if (v.t === 'num') return { t: 'num', v: -v.v };
        if (v.t === 'op') return { t: 'op', v: scaled(v.v, -1) };
        if (v.t !== 'err') this.typeError(e.operand, v, 'the operand of `-` must be a number or an operator');
        return ERR;
      }
      case 'binary': return this.binary(e, env);
      case 'call': return this.call(e, env);
      case 'index': return this.index(e, env);
      case 'pauli': return this.pauli(e, env);
      case 'sum': return this.sum(e, env);
    }
  }

  private ident(e: Ident, env: Frame | undefined): Value {
    for (let f = env; f; f = f.parent) if (f.name === e.name) return { t: 'num', v: f.value };
    if (this.res.broken.has(e)) return ERR;
    const def = this.res.refs.get(e);
    if (!def) {
      if (e.name in CONSTANTS) return { t: 'num', v: CONSTANTS[e.name] };
      return ERR;
    }
    if (def.kind === 'qubits') return this.n === undefined ? ERR : { t: 'num', v: this.n };
    if (this.poisoned.has(e.name)) return ERR;
    if (def.kind === 'param') {
      const v = this.info.params.get(e.name);
      if (v === undefined) return ERR;
      return typeof v === 'number' ? { t: 'num', v } : { t: 'arr', v };
    }
    if (def.kind === 'hamiltonian') {
      const h = this.info.hamiltonians.get(e.name);
      if (!h) return ERR;
      const acc: OpSum = new Map();
      for (const t of h.sum.terms) addInto(acc, new Map([[keyOfTerm(t), { factors: [...t.factors], re: t.coeff, im: 0, origin: t.origin }]]));
      return { t: 'op', v: acc };
    }
    return ERR;
  }

  private binary(e: Expr & { kind: 'binary' }, env: Frame | undefined): Value {
    if (e.op === '^') return this.combine(e, this.eval(e.left, env), this.eval(e.right, env), env);
    // Left-associative chains (a + b + c …) are walked iteratively: generated lines with thousands
    // of terms must not exhaust the stack, and sums accumulate in place instead of copying.
    const spine: Array<Expr & { kind: 'binary' }> = [];
    let cur: Expr = e;
    while (cur.kind === 'binary' && cur.op !== '^') {
      spine.push(cur);
      cur = cur.left;
    }
    let acc = this.eval(cur, env);
    let owned = false;
    for (let k = spine.length - 1; k >= 0; k--) {
      const node = spine[k];
      const b = this.eval(node.right, env);
      if (owned && acc.t === 'op' && b.t === 'op' && (node.op === '+' || node.op === '-')) {
        addInto(acc.v, b.v, node.op === '-' ? -1 : 1);
        this.checkTermLimit(acc, node.span);
        continue;
      }
      acc = this.combine(node, acc, b, env);
      owned = acc.t === 'op';
    }
    return acc;
  }

  private combine(e: Expr & { kind: 'binary' }, a: Value, b: Value, env: Frame | undefined): Value {
    if (a.t === 'err' || b.t === 'err') return ERR;
    const opText = e.op === 'juxt' ? '*' : e.op;
    if (a.t === 'str' || b.t === 'str') {
      this.typeError(a.t === 'str' ? e.left : e.right, a.t === 'str' ? a : b, `the operands of \`${opText}\` must be numbers or operators`);
      return ERR;
    }
    if (a.t === 'arr' || b.t === 'arr') {
      this.typeError(a.t === 'arr' ? e.left : e.right, a.t === 'arr' ? a : b, `the operands of \`${opText}\` must be numbers or operators`);
      return ERR;
    }
    if (a.t === 'num' && b.t === 'num') return this.arith(e, a.v, b.v, env);
    // At least one operator.
    switch (e.op) {
      case '+':
      case '-': {
        if (a.t === 'num' || b.t === 'num') {
          const num = a.t === 'num' ? e.left : e.right;
          this.sink.error(CODES.TypeMismatch, num.span, `Cannot ${e.op === '+' ? 'add' : 'subtract'} a number and an operator: \`${this.src(num)}\` is a number. For a constant energy shift write \`${this.src(num)} * I[0]\`; to scale an operator, multiply.`);
          return ERR;
        }
        const acc: OpSum = new Map();
        addInto(acc, (a as { v: OpSum }).v);
        addInto(acc, (b as { v: OpSum }).v, e.op === '-' ? -1 : 1);
        return this.checkTermLimit({ t: 'op', v: acc }, e.span);
      }
      case '*':
      case 'juxt': {
        if (a.t === 'num') return { t: 'op', v: scaled((b as { v: OpSum }).v, a.v) };
        if (b.t === 'num') return { t: 'op', v: scaled(a.v, b.v) };
        const prod = multiply(a.v, (b as { v: OpSum }).v);
        return this.checkTermLimit({ t: 'op', v: prod }, e.span);
      }
      case '/': {
        if (b.t === 'op') {
          this.sink.error(CODES.TypeMismatch, e.right.span, `Cannot divide by an operator: \`${this.src(e.right)}\` is an operator.`);
          return ERR;
        }
        if (b.v === 0) {
          this.sink.error(CODES.DivisionByZero, e.right.span, `Division by zero: \`${this.src(e.right)}\` is 0${bindingsOfEnv(env)}.`);
          return ERR;
        }
        return { t: 'op', v: scaled((a as { v: OpSum }).v, 1 / b.v) };
      }
      case '^': {
        if (a.t === 'op' && b.t === 'num' && Number.isInteger(b.v) && b.v >= 0 && b.v <= LIMITS.maxPower) {
          let acc = constant(1);
          for (let k = 0; k < b.v; k++) acc = multiply(acc, a.v);
          return this.checkTermLimit({ t: 'op', v: acc }, e.span);
        }
        this.sink.error(CODES.TypeMismatch, e.span, b.t === 'op' ? 'An exponent must be a number, not an operator.' : `An operator can only be raised to a whole power from 0 to ${LIMITS.maxPower}.`);
        return ERR;
      }
      case '%':
        this.sink.error(CODES.TypeMismatch, e.span, '`%` works on whole numbers, not on operators.');
        return ERR;
    }
  }

  private arith(e: Expr & { kind: 'binary' }, x: number, y: number, env: Frame | undefined): Value {
    let r: number;
    switch (e.op) {
      case '+': r = x + y; break;
      case '-': r = x - y; break;
      case '*': case 'juxt': r = x * y; break;
      case '/':
        if (y === 0) {
          this.sink.error(CODES.DivisionByZero, e.right.span, `Division by zero: \`${this.src(e.right)}\` is 0${bindingsOfEnv(env)}.`);
          return ERR;
        }
        r = x / y;
        break;
      case '%':
        if (!Number.isInteger(x) || !Number.isInteger(y)) {
          const bad = !Number.isInteger(x) ? e.left : e.right;
          this.sink.error(CODES.NotAnInteger, bad.span, `\`%\` needs whole numbers, but \`${this.src(bad)}\` is ${formatNumber(!Number.isInteger(x) ? x : y)}${bindingsOfEnv(env)}.`);
          return ERR;
        }
        if (y === 0) {
          this.sink.error(CODES.DivisionByZero, e.right.span, `Modulo by zero: \`${this.src(e.right)}\` is 0${bindingsOfEnv(env)}.`);
          return ERR;
        }
        // Floored modulo (sign of the divisor): (i - 1) % n wraps to n - 1, as periodic chains need.
        r = ((x % y) + y) % y;
        break;
      case '^': r = Math.pow(x, y); break;
    }
    if (!Number.isFinite(r)) {
      this.sink.error(CODES.NotFinite, e.span, `\`${this.src(e)}\` is ${Number.isNaN(r) ? 'not a real number' : 'too large'}${bindingsOfEnv(env)}.`);
      return ERR;
    }
    return { t: 'num', v: r };
  }

  private call(e: Expr & { kind: 'call' }, env: Frame | undefined): Value {
    const f = FUNCTIONS[e.callee.name];
    if (!f) return ERR; // reported by the resolver
    if (f.arity === 'variadic' ? e.args.length === 0 : e.args.length !== f.arity) {
      this.sink.error(CODES.WrongArgumentCount, e.span, `\`${e.callee.name}\` takes ${f.arity === 'variadic' ? 'one or more arguments' : f.arity === 1 ? 'one argument' : `${f.arity} arguments`}, found ${e.args.length}.`);
      return ERR;
    }
    const args: number[] = [];
    for (const a of e.args) {
      const v = this.scalar(a, env, `the argument of \`${e.callee.name}\``);
      if (v === undefined) return ERR;
      args.push(v);
    }
    const r = f.apply(args);
    if (!Number.isFinite(r)) {
      this.sink.error(CODES.NotFinite, e.span, `\`${this.src(e)}\` is ${Number.isNaN(r) ? 'not a real number' : 'infinite'}${bindingsOfEnv(env)}.`);
      return ERR;
    }
    return { t: 'num', v: r };
  }

  private index(e: Expr & { kind: 'index' }, env: Frame | undefined): Value {
    const target = this.eval(e.target, env);
    if (target.t === 'err') return ERR;
    if (target.t !== 'arr') {
      this.sink.error(CODES.TypeMismatch, e.target.span, `\`${e.target.name}\` is ${target.t === 'num' ? 'a number' : target.t === 'op' ? 'an operator' : 'a string'}, not an array; it cannot be indexed.`);
      return ERR;
    }
    const i = this.scalar(e.index, env, 'an array index');
    if (i === undefined) return ERR;
    if (!Number.isInteger(i)) {
      this.sink.error(CODES.NotAnInteger, e.index.span, `\`${this.src(e)}\`${bindingsOfEnv(env, ' with ')} indexes with ${formatNumber(i)}; an index must be a whole number.`);
      return ERR;
    }
    if (i < 0 || i >= target.v.length) {
      this.sink.error(CODES.ArrayIndexOutOfRange, e.span, `\`${this.src(e)}\`${bindingsOfEnv(env, ' with ')} is element ${i}, but \`${e.target.name}\` ${target.v.length ? `has ${target.v.length} elements (0..${target.v.length - 1})` : 'is empty'}.`);
      return ERR;
    }
    return { t: 'num', v: target.v[i] };
  }

  private pauli(e: PauliAtom, env: Frame | undefined): Value {
    const q = this.scalar(e.index, env, 'a qubit index');
    if (q === undefined) return ERR;
    const n = this.n;
    if (!Number.isInteger(q)) {
      this.sink.error(CODES.NotAnInteger, e.index.span, `\`${this.src(e)}\`${bindingsOfEnv(env, ' with ')} is qubit ${formatNumber(q)}; a qubit index must be a whole number.`);
      return ERR;
    }
    // Without a register there is nothing to check the index against (reported once, elsewhere).
    if (q < 0 || (n !== undefined && q >= n)) {
      const has = n !== undefined ? `the register has qubits 0..${n - 1}` : 'qubit indices start at 0';
      this.sink.error(CODES.QubitOutOfRange, e.span, `\`${this.src(e)}\`${bindingsOfEnv(env, ' with ')} is qubit ${q}; ${has}.`);
      return ERR;
    }
    let set = this.info.atoms.get(e);
    if (!set) this.info.atoms.set(e, (set = new Set()));
    set.add(q);
    return { t: 'op', v: single(q, e.letter) };
  }

  private sum(e: SumExpr, env: Frame | undefined): Value {
    const a = this.scalar(e.from, env, 'the start of a range');
    const b = this.scalar(e.to, env, 'the end of a range');
    const k = e.step ? this.scalar(e.step, env, 'the step of a range') : 1;
    if (a === undefined || b === undefined || k === undefined) return ERR;
    for (const [x, ex] of [[a, e.from], [b, e.to]] as const) {
      if (!Number.isInteger(x)) {
        this.sink.error(CODES.NotAnInteger, ex.span, `A range runs over whole numbers, but \`${this.src(ex)}\` is ${formatNumber(x)}${bindingsOfEnv(env)}.`);
        return ERR;
      }
    }
    if (!Number.isInteger(k) || k < 1) {
      this.sink.error(CODES.InvalidStep, e.step!.span, `The step of a range must be a whole number ≥ 1, found ${formatNumber(k)}.`);
      return ERR;
    }
    const count = b >= a ? Math.floor((b - a) / k) + 1 : 0;
    if (count > LIMITS.maxRange) {
      this.sink.error(CODES.RangeTooLarge, { start: e.from.span.start, end: e.to.span.end }, `The range ${a}..${b} has ${count} values; at most ${LIMITS.maxRange.toLocaleString('en')} are allowed.`);
      return ERR;
    }
    let info = this.info.sums.get(e);
    if (!info) this.info.sums.set(e, (info = { evaluations: 0, terms: 0, min: Infinity, max: -Infinity, iterations: 0, emptyEvaluations: 0, failed: false }));
    info.evaluations++;
    if (count === 0) {
      // Warned about at the end, and only if the range is empty every time (`j in i+1..n-1` is fine).
      info.emptyEvaluations++;
      info.emptyRange = [a, b];
      return { t: 'op', v: new Map() };
    }
    // The range is known before the body runs: hovers show it even if the body has an error.
    info.iterations += count;
    info.min = Math.min(info.min, a);
    info.max = Math.max(info.max, a + (count - 1) * k);
    const acc: OpSum = new Map();
    let ok = true;
    for (let x = a; x <= b; x += k) {
      const frame: Frame = { name: e.variable.name, value: x, parent: env };
      for (const line of e.body) {
        const v = this.eval(line, frame);
        if (v.t === 'op') {
          stampOrigin(v.v, { span: line.span, bindings: frameBindings(frame) });
          addInto(acc, v.v);
          if (acc.size > LIMITS.maxTerms) return this.checkTermLimit({ t: 'op', v: acc }, e.span);
        } else if (v.t === 'err') {
          ok = false;
        } else {
          this.typeError(line, v, 'the body of a `sum` must be an operator');
          ok = false;
        }
      }
      if (!ok) {
        info.failed = true;
        return ERR; // one report per loop, not one per iteration
      }
    }
    for (const t of acc.values()) if (Math.hypot(t.re, t.im) >= 1e-12) info.terms++;
    return { t: 'op', v: acc };
  }

  private checkTermLimit(v: Value, span: Span): Value {
    if (v.t === 'op' && v.v.size > LIMITS.maxTerms) {
      this.sink.error(CODES.TooManyTerms, span, `This expression has more than ${LIMITS.maxTerms.toLocaleString('en')} terms, the limit.`);
      throw new Abort();
    }
    return v;
  }

  /** QH402 for sums whose range was empty every time they were evaluated. */
  private emptyRanges(): void {
    for (const [e, info] of this.info.sums) {
      if (info.evaluations === 0 || info.emptyEvaluations < info.evaluations) continue;
      const [a, b] = info.emptyRange ?? [NaN, NaN];
      this.sink.warning(CODES.EmptyRange, { start: e.from.span.start, end: e.to.span.end }, `The range ${a}..${b} is empty (both ends are included, so the start must not exceed the end): this sum adds nothing.`);
    }
  }

  private unused(): void {
    for (const d of this.res.symbols) {
      if (d.refs.length > 0 || d.kind === 'evolve' || d.kind === 'qubits') continue;
      if (d.kind === 'loop') continue; // a loop variable may legitimately be unused (repeat a term)
      const what = d.kind === 'param' ? 'Param' : d.kind === 'hamiltonian' ? 'Hamiltonian' : 'State';
      this.sink.add({ code: CODES.UnusedName, severity: 'hint', span: d.nameSpan, message: `${what} \`${d.name}\` is never used.`, unnecessary: true });
    }
  }
}

function compareTerms(a: PauliTerm, b: PauliTerm): number {
  if (a.factors.length !== b.factors.length) return a.factors.length - b.factors.length;
  for (let i = 0; i < a.factors.length; i++) {
    const d = a.factors[i].qubit - b.factors[i].qubit;
    if (d) return d;
  }
  for (let i = 0; i < a.factors.length; i++) {
    if (a.factors[i].pauli !== b.factors[i].pauli) return a.factors[i].pauli < b.factors[i].pauli ? -1 : 1;
  }
  return 0;
}

function keyOfTerm(t: PauliTerm): string {
  let k = '';
  for (const f of t.factors) k += f.pauli + f.qubit + ' ';
  return k;
}

function frameBindings(f: Frame | undefined): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (; f; f = f.parent) out.unshift([f.name, f.value]);
  return out;
}

function bindingsOfEnv(env: Frame | undefined, lead = ' for '): string {
  const b = frameBindings(env);
  return b.length ? `${lead}${b.map(([k, v]) => `${k} = ${v}`).join(', ')}` : '';
}

function bindingsText(o: TermOrigin | undefined): string {
  return o && o.bindings.length ? `, ${o.bindings.map(([k, v]) => `${k} = ${v}`).join(', ')}` : '';
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The whole line(s) of a span, newline included, for fixes that delete a line. */
function lineSpan(text: string, s: Span): Span {
  let a = s.start;
  while (a > 0 && text[a - 1] !== '\n') a--;
  let b = s.end;
  while (b < text.length && text[b] !== '\n') b++;
  return { start: a, end: Math.min(text.length, b + 1) };
}

/** The edit that makes an evolve block use the trotter method. */
function methodTrotterEdit(s: EvolveStmt, text: string): { span: Span; newText: string } {
  const m = s.options.find((o) => o.key.name === 'method');
  if (m) return { span: m.value.span, newText: 'trotter' };
  if (s.bodySpan) {
    // Insert a new first line inside the block, indented like the next line.
    const after = s.bodySpan.start + 1;
    const rest = text.slice(after);
    const nl = rest.indexOf('\n');
    const nextLine = nl >= 0 ? rest.slice(nl + 1) : '';
    const indent = /^[ \t]*/.exec(nextLine)?.[0] || '  ';
    if (nl >= 0 && rest.slice(0, nl).trim() === '') return { span: { start: after + nl + 1, end: after + nl + 1 }, newText: `${indent}method = trotter\n` };
    return { span: { start: after, end: after }, newText: ` method = trotter\n` };
  }
  return { span: { start: s.headerSpan.end, end: s.headerSpan.end }, newText: ' {\n  method = trotter\n}' };
}
