// Grammar-aware and byte-level mutations of .qham files, and the invariants every checked text must
// keep: the checker (and every editor feature) never throws, returns within a second, and every
// diagnostic and fix range lies inside the document.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/lang/analyze';
import { EvalCache } from '../../server/src/lang/eval-cache';
import { codeActions } from '../../server/src/lsp/code-actions';
import { codeLenses } from '../../server/src/lsp/code-lens';
import { complete } from '../../server/src/lsp/completion';
import { hover } from '../../server/src/lsp/hover';
import { definition, references, rename } from '../../server/src/lsp/navigation';
import { documentSymbols, foldingRanges } from '../../server/src/lsp/outline';

export interface Rng { next(): number }

export function mulberry(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r.next() * xs.length)];
const int = (r: Rng, n: number) => Math.floor(r.next() * n);

/** Fragments a physicist (or a bad paste) might put anywhere. */
const SNIPPETS = [
  'qubits', 'param', 'hamiltonian', 'state', 'evolve', 'under', 'for', 'as', 'sum', 'in', 'step', '..', '{', '}', '(', ')', '[', ']',
  '=', '+', '-', '*', '/', '%', '^', ',', '"', '#', '//', '\n', ' ', 'X[', 'Y[i]', 'Z[n-1]', 'I[0]', 'X[i] X[i+1]', 'n', 'pi', 'e',
  'sqrt(', 'log(-1)', '1/0', '0', '1e308', '1e-320', '-0', 'NaN', 'Infinity', '1e', '.5', '0..n', '2^1024', '(((', ')))', 'sum i in 0..n-1 { ',
  'method = trotter', 'layers = auto', 'fidelity = 2', 'bond = 1', 'output = "../x.qasm"', 'bits "01"', 'neel', 'plus', 'zero',
  '\u03c0', '\u2212', '\u00d7', '\u0000', '\r\n', '\t', '\ufeff', '😀', '\u202e', '<script>alert(1)</script>', 'qubits 1025', 'qubits 1',
  'sum j in 0..1000000 { Z[0] }', 'X[0] Y[0]', 'hz[100]', 'J J J', 'as as', 'evolve psi0 under H for 1 {\n', '}\n}\n',
];

const LINES = [
  'qubits 6', 'param J = 1.0', 'param h = [0.1, 0.2, 0.3]', 'hamiltonian H {', '}', 'state s = neel', 'state b = bits "010101"',
  '  sum i in 0..n-2 { J * (X[i] X[i+1] + Y[i] Y[i+1]) }', '  sum i in 0..n-1 { h[i % 3] * Z[i] }', 'evolve s under H for 1.0 {', '  layers = 2',
  '  method = trotter', 'evolve b under H for 0.5 as quick', '# comment', '',
];

/** One random mutation of `text`. */
export function mutate(text: string, r: Rng): string {
  const pos = () => int(r, text.length + 1);
  switch (int(r, 12)) {
    case 0: { const p = pos(); return text.slice(0, p) + pick(r, SNIPPETS) + text.slice(p); }
    case 1: { const p = pos(); return text.slice(0, p) + text.slice(p + 1 + int(r, 8)); }
    case 2: { const p = pos(); return text.slice(0, p) + String.fromCharCode(int(r, 0x3000)) + text.slice(p + 1); }
    case 3: { const lines = text.split('\n'); const i = int(r, lines.length); lines.splice(i, 1); return lines.join('\n'); }
    case 4: { const lines = text.split('\n'); const i = int(r, lines.length); lines.splice(i, 0, lines[int(r, lines.length)]); return lines.join('\n'); }
    case 5: { const lines = text.split('\n'); lines.splice(int(r, lines.length + 1), 0, pick(r, LINES)); return lines.join('\n'); }
    case 6: { const lines = text.split('\n'); const i = int(r, lines.length), j = int(r, lines.length); [lines[i], lines[j]] = [lines[j], lines[i]]; return lines.join('\n'); }
    case 7: { // swap two tokens-ish
      const toks = text.split(/(\s+)/); const i = int(r, toks.length), j = int(r, toks.length); [toks[i], toks[j]] = [toks[j], toks[i]]; return toks.join('');
    }
    case 8: { const p = pos(); const depth = 1 + int(r, 400); return text.slice(0, p) + '('.repeat(depth) + '1' + ')'.repeat(int(r, depth + 1)) + text.slice(p); }
    case 9: { const p = pos(); return text.slice(0, p) + String(r.next() * 10 ** (int(r, 40) - 20)) + text.slice(p); }
    case 10: { const p = pos(), q = pos(); return text.slice(0, Math.min(p, q)) + text.slice(Math.max(p, q)); }
    default: { const p = pos(); return text.slice(0, p) + 'x'.repeat(int(r, 300)) + text.slice(p); }
  }
}

export interface Violation { what: string; detail: string }

/** Runs the checker and every editor feature on `text`; returns what broke, if anything. */
export function checkText(text: string, r: Rng, cache?: EvalCache): Violation | undefined {
  const t0 = performance.now();
  let a;
  try {
    a = analyze(text, { cache });
  } catch (e) {
    return { what: 'analyze threw', detail: (e as Error).stack ?? String(e) };
  }
  const ms = performance.now() - t0;
  if (ms > 1000) return { what: 'slow', detail: `analyze took ${ms.toFixed(0)} ms` };
  const n = text.length;
  for (const d of a.diagnostics) {
    const ok = (s: { start: number; end: number }) => Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= n;
    if (!ok(d.span)) return { what: 'range outside the document', detail: `${d.code} ${JSON.stringify(d.span)} in a text of ${n}` };
    for (const e of d.fix?.edits ?? []) if (!ok(e.span)) return { what: 'fix range outside the document', detail: `${d.code} ${JSON.stringify(e.span)}` };
    for (const x of d.related ?? []) if (!ok(x.span)) return { what: 'related range outside the document', detail: `${d.code}` };
    // Internal values leaking into a message (words the user's text does not contain).
    const leak = ['undefined', 'NaN', '[object', 'Infinity'].find((w) => d.message.includes(w) && !text.includes(w));
    if (!d.message || leak) return { what: 'bad message', detail: `${d.code}: ${d.message}` };
  }
  const doc = TextDocument.create('file:///fuzz.qham', 'qham', 1, text);
  try {
    for (let k = 0; k < 3; k++) {
      const off = int(r, n + 1);
      hover(doc, a, off);
      complete(a, off);
      definition(doc, a, off);
      references(doc, a, off, true);
      rename(doc, a, off, 'renamed');
    }
    documentSymbols(doc, a);
    foldingRanges(doc, a);
    codeActions(doc, a, { start: doc.positionAt(0), end: doc.positionAt(n) });
    codeLenses(doc, a, []);
  } catch (e) {
    return { what: 'an editor feature threw', detail: (e as Error).stack ?? String(e) };
  }
  if (performance.now() - t0 > 1000) return { what: 'slow', detail: `features took ${(performance.now() - t0).toFixed(0)} ms` };
  return undefined;
}

export interface FuzzReport { cases: number; failures: Array<Violation & { input: string }>; seconds: number }

/** `cases` mutants of the given seeds (1–4 stacked mutations each), checked one by one. */
export function fuzz(seeds: readonly string[], cases: number, seed: number): FuzzReport {
  const r = mulberry(seed);
  const failures: FuzzReport['failures'] = [];
  const t0 = performance.now();
  // A cache shared across cases, as in the editor, so reuse is fuzzed too.
  const cache = new EvalCache();
  for (let c = 0; c < cases; c++) {
    let text = pick(r, seeds);
    const k = 1 + int(r, 4);
    for (let m = 0; m < k; m++) text = mutate(text, r);
    const v = checkText(text, r, cache);
    if (v) failures.push({ ...v, input: text });
  }
  return { cases, failures, seconds: (performance.now() - t0) / 1000 };
}
