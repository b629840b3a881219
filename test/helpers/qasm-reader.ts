// A small, strict OpenQASM reader for tests: it parses exactly the subset QHam emits (versions 2 and
// 3) and rejects any gate outside the allowed set of that version, so an exporter that slips in a
// non-standard gate fails the tests. Written independently of the exporters on purpose.
import { type Gate, type GateName, gate } from '../../server/src/engine/circuit/gates';

export interface QasmProgram {
  version: 2 | 3;
  qubits: number;
  /** In QHam's gate vocabulary (u3 → U, u1 → p, …). */
  gates: Gate[];
  /** Sum of the gphase statements (QASM 3). */
  globalPhase: number;
  measured: boolean;
  /** Text of each `//` comment line, without the slashes and one following space. */
  comments: string[];
}

/** The gates of OpenQASM 3's stdgates.inc that QHam may emit, plus the built-in U. */
export const QASM3_GATES: ReadonlySet<string> = new Set(['x', 'y', 'z', 'h', 's', 'sdg', 't', 'tdg', 'sx', 'rx', 'ry', 'rz', 'p', 'cx', 'cy', 'cz', 'swap', 'U']);
/** The 23 gates of the original qelib1.inc. */
export const QASM2_GATES: ReadonlySet<string> = new Set(['u3', 'u2', 'u1', 'id', 'x', 'y', 'z', 'h', 's', 'sdg', 't', 'tdg', 'rx', 'ry', 'rz', 'cx', 'cz', 'cy', 'ch', 'crz', 'cu1', 'cu3', 'ccx']);

/** [name, qubits, params] of each gate in the qelib1.inc / stdgates.inc definitions we read. */
const SHAPE: Record<string, [number, number]> = {
  x: [1, 0], y: [1, 0], z: [1, 0], h: [1, 0], s: [1, 0], sdg: [1, 0], t: [1, 0], tdg: [1, 0], sx: [1, 0], id: [1, 0],
  rx: [1, 1], ry: [1, 1], rz: [1, 1], p: [1, 1], u1: [1, 1], u2: [1, 2], u3: [1, 3], U: [1, 3],
  cx: [2, 0], cy: [2, 0], cz: [2, 0], swap: [2, 0], ch: [2, 0], crz: [2, 1], cu1: [2, 1], cu3: [2, 3], ccx: [3, 0],
};

type Tok = { kind: 'id' | 'num' | 'str' | 'sym'; text: string; line: number };

function lex(text: string, comments: string[]): Tok[] {
  const toks: Tok[] = [];
  let i = 0, line = 1;
  const fail = (msg: string): never => { throw new Error(`qasm-reader: line ${line}: ${msg}`); };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') { line++; i++; continue; }
    if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const c = text.slice(i + 2, end < 0 ? text.length : end);
      comments.push(c.startsWith(' ') ? c.slice(1) : c);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated comment');
      for (let k = i; k < end; k++) if (text[k] === '\n') line++;
      i = end + 2;
      continue;
    }
    const rest = text.slice(i);
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) ?? null;
    if (m) { toks.push({ kind: 'id', text: m[0], line }); i += m[0].length; continue; }
    const n = /^(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/.exec(rest);
    if (n) { toks.push({ kind: 'num', text: n[0], line }); i += n[0].length; continue; }
    if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0 || text.slice(i, end).includes('\n')) fail('unterminated string');
      toks.push({ kind: 'str', text: text.slice(i + 1, end), line });
      i = end + 1;
      continue;
    }
    if (text.startsWith('->', i)) { toks.push({ kind: 'sym', text: '->', line }); i += 2; continue; }
    if ('π'.includes(ch) || ';,()[]+-*/='.includes(ch)) { toks.push({ kind: ch === 'π' ? 'id' : 'sym', text: ch, line }); i++; continue; }
    fail(`unexpected character ${JSON.stringify(ch)}`);
  }
  return toks;
}

export function readQasm(text: string): QasmProgram {
  const comments: string[] = [];
  const toks = lex(text, comments);
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];
  const fail = (msg: string): never => { throw new Error(`qasm-reader: line ${peek()?.line ?? 'end'}: ${msg}`); };
  const next = (): Tok => toks[pos++] ?? fail('unexpected end of file');
  const expect = (t: string): void => { const k = next(); if (k.text !== t) fail(`expected ${t}, got ${k.text}`); };
  const isSym = (t: string) => peek()?.kind === 'sym' && peek()?.text === t;
  const int = (): number => {
    const t = next();
    if (t.kind !== 'num' || !/^\d+$/.test(t.text)) fail(`expected an integer, got ${t.text}`);
    return Number(t.text);
  };

  // Version first.
  if (next().text !== 'OPENQASM') fail('the file must start with OPENQASM');
  const vt = next();
  const version = vt.text === '2.0' ? 2 : vt.text === '3.0' || vt.text === '3' ? 3 : fail(`unsupported version ${vt.text}`);
  expect(';');
  const allowed = version === 3 ? QASM3_GATES : QASM2_GATES;

  // Expressions: numbers, pi, unary ±, * / + -, parentheses.
  const expr = (): number => {
    let v = term();
    while (isSym('+') || isSym('-')) v = next().text === '+' ? v + term() : v - term();
    return v;
  };
  const term = (): number => {
    let v = unary();
    while (isSym('*') || isSym('/')) v = next().text === '*' ? v * unary() : v / unary();
    return v;
  };
  const unary = (): number => {
    if (isSym('-')) { next(); return -unary(); }
    if (isSym('+')) { next(); return unary(); }
    const t = next();
    if (t.kind === 'num') return Number(t.text);
    if (t.kind === 'id' && (t.text === 'pi' || (version === 3 && t.text === 'π'))) return Math.PI;
    if (t.text === '(') { const v = expr(); expect(')'); return v; }
    return fail(`unexpected ${t.text} in an expression`);
  };

  let reg: string | undefined, qubits = 0, creg: string | undefined, measured = false, included = false, globalPhase = 0;
  const gates: Gate[] = [];
  const operand = (): number => {
    const name = next().text;
    if (name !== reg) fail(`unknown register ${name}`);
    expect('[');
    const q = int();
    expect(']');
    if (q >= qubits) fail(`qubit ${q} is outside ${reg}[${qubits}]`);
    return q;
  };

  while (peek()) {
    const t = next();
    if (t.kind !== 'id') fail(`unexpected ${t.text}`);
    const w = t.text;
    if (w === 'include') {
      const f = next();
      const want = version === 3 ? 'stdgates.inc' : 'qelib1.inc';
      if (f.kind !== 'str' || f.text !== want) fail(`include must be "${want}"`);
      if (included || reg) fail('include must come once, before declarations');
      included = true;
      expect(';');
    } else if (version === 3 && w === 'qubit' && !reg) {
      expect('['); qubits = int(); expect(']'); reg = next().text; expect(';');
    } else if (version === 2 && w === 'qreg' && !reg) {
      reg = next().text; expect('['); qubits = int(); expect(']'); expect(';');
    } else if (version === 3 && w === 'bit' && !creg) {
      expect('['); if (int() !== qubits) fail('bit register size'); expect(']'); creg = next().text; expect(';');
    } else if (version === 2 && w === 'creg' && !creg) {
      creg = next().text; expect('['); if (int() !== qubits) fail('creg size'); expect(']'); expect(';');
    } else if (version === 3 && w === creg) {
      expect('='); expect('measure'); if (next().text !== reg) fail('measure of an unknown register'); expect(';'); measured = true;
    } else if (version === 2 && w === 'measure') {
      if (next().text !== reg) fail('measure of an unknown register'); expect('->'); if (next().text !== creg) fail('unknown creg'); expect(';'); measured = true;
    } else if (version === 3 && w === 'gphase') {
      if (!reg) fail('gphase before the qubit declaration');
      expect('('); globalPhase += expr(); expect(')'); expect(';');
    } else {
      if (!allowed.has(w)) fail(`gate ${w} is not allowed in OpenQASM ${version} exports`);
      if (!included && w !== 'U') fail(`gate ${w} used without its include`);
      if (!reg) fail(`gate ${w} before the qubit declaration`);
      if (measured) fail(`gate ${w} after the measurement`);
      const params: number[] = [];
      if (isSym('(')) {
        next();
        if (!isSym(')')) { params.push(expr()); while (isSym(',')) { next(); params.push(expr()); } }
        expect(')');
      }
      const qs = [operand()];
      while (isSym(',')) { next(); qs.push(operand()); }
      expect(';');
      const [nq, np] = SHAPE[w];
      if (qs.length !== nq || params.length !== np) fail(`${w} takes ${nq} qubits and ${np} parameters`);
      if (new Set(qs).size !== qs.length) fail(`${w} uses a qubit twice`);
      for (const p of params) if (!Number.isFinite(p)) fail(`${w} has a non-finite parameter`);
      switch (w) {
        case 'u3': gates.push(gate('U', qs, params)); break;
        case 'u2': gates.push(gate('U', qs, [Math.PI / 2, params[0], params[1]])); break;
        case 'u1': gates.push(gate('p', qs, params)); break;
        case 'id': break;
        case 'ch': case 'crz': case 'cu1': case 'cu3': case 'ccx': fail(`${w} is valid QASM 2 but this test reader does not simulate it`); break;
        default: gates.push(gate(w as GateName, qs, params));
      }
    }
  }
  if (!reg) fail('no qubit register');
  if (!included) fail('missing include');
  return { version, qubits, gates, globalPhase, measured, comments };
}
