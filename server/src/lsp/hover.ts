// textDocument/hover: values of params, the qubits a Pauli atom touches across its loops, a sum's
// term count, a Hamiltonian's summary, a state's bitstring, an evolve block's options.
import type { Hover, MarkupContent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../lang/analyze';
import type { EvolveStmt, PauliAtom, SumExpr } from '../lang/ast';
import { CONSTANTS, FUNCTIONS, OPTION_BY_KEY, OPTIONS } from '../lang/builtins';
import { locate, symbolAt } from '../lang/locate';
import { formatNumber, summarize } from '../model/pauli';
import type { Span } from '../model/span';
import { toRange } from './convert';
import type { BlockStatus } from '../protocol';
import type { CompileResult } from '../engine/compile/types';
import { toAscii } from '../export/ascii';

const KEYWORD_DOCS: Record<string, string> = {
  qubits: '`qubits <n>` — the register size (1 ≤ n ≤ 1024); defines the constant `n`.',
  param: '`param <name> = <expr>` — a named real constant or array; overridable with `--set name=value`.',
  hamiltonian: '`hamiltonian <Name> { … }` — a Hermitian operator: the sum of its lines.',
  state: '`state <name> = zero | neel | plus | bits "…"` — an initial product state.',
  evolve: '`evolve <state> under <H> for <t> [as <name>] { … }` — compile a circuit preparing exp(−iHt)|state⟩.',
  sum: '`sum i in a..b [step k] { … }` — a sum over an inclusive range.',
};

/** What the compile manager knows about a block, for the evolve hover. */
export type CompileInfo = (block: string) => { status: BlockStatus; result?: CompileResult } | undefined;

export function hover(doc: TextDocument, a: Analysis, offset: number, compiled?: CompileInfo): Hover | null {
  const md = (value: string, span: Span): Hover => ({ contents: { kind: 'markdown', value } satisfies MarkupContent, range: toRange(doc, span) });
  const loc = locate(a, offset);

  // An evolve option key.
  if (loc.option && offset <= loc.option.key.span.end && offset >= loc.option.key.span.start) {
    const spec = OPTION_BY_KEY.get(loc.option.key.name);
    if (spec) return md(`**${spec.key}** (default \`${spec.defaultText}\`)\n\n${spec.doc}`, loc.option.key.span);
  }

  const sym = symbolAt(a, offset);
  if (sym) {
    const d = sym.def;
    switch (d.kind) {
      case 'param': {
        const v = a.info.params.get(d.name);
        return md(v === undefined ? `**param** \`${d.name}\` (its value has an error)` : `**param** \`${d.name}\` = ${formatValue(v)}`, sym.span);
      }
      case 'qubits':
        return md(`\`n\` = ${a.program.qubits ?? '?'} — the register size (qubits 0..${a.program.qubits !== undefined ? a.program.qubits - 1 : '?'})`, sym.span);
      case 'loop': {
        const sum = findSum(a, d.declSpan);
        const info = sum && a.info.sums.get(sum);
        const range = info && info.iterations > 0 ? `${info.min}..${info.max}` : 'an empty range';
        return md(`**loop variable** \`${d.name}\` = ${range}`, sym.span);
      }
      case 'hamiltonian': {
        const h = a.info.hamiltonians.get(d.name);
        if (!h) return md(`**hamiltonian** \`${d.name}\` (has errors)`, sym.span);
        const s = summarize(h.sum);
        const weights = s.byWeight.map((c, w) => (c ? `${c} ${w === 0 ? 'constant' : `${w}-qubit`}` : '')).filter(Boolean).join(', ');
        return md([
          `**hamiltonian** \`${d.name}\` on ${h.sum.qubits} qubits`,
          '',
          `- ${s.terms} terms (${weights || 'none'})`,
          `- ${s.locality}-local, ${s.nearestNeighbour ? 'nearest-neighbour chain (method = aqc applies)' : 'not nearest-neighbour (use method = trotter)'}`,
          `- 1-norm Σ|c| = ${formatNumber(Number(s.oneNorm.toPrecision(8)))}${s.shift ? ` (plus a constant shift ${formatNumber(s.shift)})` : ''}`,
        ].join('\n'), sym.span);
      }
      case 'state': {
        const st = a.info.states.get(d.name);
        if (!st) return md(`**state** \`${d.name}\` (has errors)`, sym.span);
        const shown = st.labels.length > 80 ? `${st.labels.slice(0, 80)}…` : st.labels;
        return md(`**state** \`${d.name}\` = ${st.kind} on ${st.labels.length} qubits\n\n\`|${shown}⟩\` (character k is qubit k)`, sym.span);
      }
      case 'evolve': {
        const stmt = a.ast.statements.find((s): s is EvolveStmt => s.kind === 'evolve' && s.span.start === d.declSpan.start);
        if (stmt) return md(evolveHover(a, stmt, compiled), sym.span);
        break;
      }
    }
  }

  const st = loc.statement;
  if (st?.kind === 'evolve' && offset >= st.keyword.start && offset <= st.keyword.end) return md(evolveHover(a, st, compiled), st.keyword);

  // Expressions: innermost first.
  const chain = loc.expr ? [...loc.parents, loc.expr].reverse() : [];
  for (const e of chain) {
    if (e.kind === 'pauli' && (offset <= e.letterSpan.end || offset >= e.span.end - 1)) return md(atomHover(a, e), e.span);
    if (e.kind === 'sum' && offset <= e.span.start + 3) return md(sumHover(a, e), { start: e.span.start, end: e.span.start + 3 });
    if (e.kind === 'ident' && e.name in CONSTANTS) return md(`\`${e.name}\` = ${CONSTANTS[e.name]}`, e.span);
    if (e.kind === 'call' && offset <= e.callee.span.end) {
      const f = FUNCTIONS[e.callee.name];
      if (f) return md(`**function** \`${e.callee.name}\` — ${f.doc}`, e.callee.span);
    }
  }
  // Keywords.
  const word = wordAt(a.text, offset);
  if (word && KEYWORD_DOCS[word.text] && !(loc.expr && loc.expr.kind === 'ident')) return md(KEYWORD_DOCS[word.text], word.span);
  return null;
}

function formatValue(v: number | readonly number[]): string {
  if (typeof v === 'number') return `\`${formatNumber(v)}\``;
  const shown = v.slice(0, 12).map(formatNumber).join(', ');
  return `array of ${v.length} values \`[${shown}${v.length > 12 ? ', …' : ''}]\``;
}

function atomHover(a: Analysis, e: PauliAtom): string {
  const src = a.text.slice(e.span.start, e.span.end);
  const qs = a.info.atoms.get(e);
  if (!qs || qs.size === 0) return `\`${src}\`: not evaluated (an error, or an empty range)`;
  const loops = enclosingSums(a, e.span).map((s) => {
    const info = a.info.sums.get(s);
    return info && info.iterations ? `${s.variable.name} = ${info.min}..${info.max}` : `${s.variable.name} (empty)`;
  });
  const what = e.letter === 'I' ? 'identity (a constant shift) on ' : '';
  return `\`${src}\`: ${what}${qs.size === 1 ? 'qubit' : 'qubits'} ${compressRanges([...qs])}${loops.length ? ` for ${loops.join(', ')}` : ''}`;
}

function sumHover(a: Analysis, s: SumExpr): string {
  const info = a.info.sums.get(s);
  if (!info) return '**sum**: not evaluated (an error above)';
  if (info.failed) return `**sum** over ${s.variable.name} = ${info.min}..${info.max}: not evaluated (an error in its body)`;
  const range = info.iterations ? `${s.variable.name} = ${info.min}..${info.max}` : 'an empty range';
  const per = info.evaluations > 1 ? ` (over ${info.evaluations} evaluations of the enclosing loops)` : '';
  return `**sum** over ${range}: ${info.terms} term${info.terms === 1 ? '' : 's'}${per}`;
}

function evolveHover(a: Analysis, s: EvolveStmt, compiled?: CompileInfo): string {
  const ev = a.info.evolveOptions.get(s);
  if (!ev) return '**evolve** (has errors)';
  const o = ev.options;
  const rows = OPTIONS.map((spec) => {
    const key = spec.key === 'target_steps' ? 'targetSteps' : spec.key;
    const v = (o as unknown as Record<string, unknown>)[key];
    const shown = v === undefined ? 'none' : String(v);
    return `| ${spec.key} | ${shown} | ${ev.explicit.includes(spec.key) ? '' : 'default'} |`;
  });
  return [
    `**evolve** \`${ev.name}\`: ${s.state?.name ?? '?'} under ${s.hamiltonian?.name ?? '?'} for t = ${ev.time !== undefined ? formatNumber(ev.time) : '?'}`,
    '',
    '| option | value | |',
    '|---|---|---|',
    ...rows,
    '',
    ...compileSection(a.program.evolves.some((b) => b.span.start === s.span.start), compiled?.(ev.name)),
  ].join('\n');
}

function enclosingSums(a: Analysis, span: Span): SumExpr[] {
  const out: SumExpr[] = [];
  for (const s of a.info.sums.keys()) if (s.bodySpan.start <= span.start && span.end <= s.bodySpan.end) out.push(s);
  return out.sort((x, y) => x.span.start - y.span.start);
}

function findSum(a: Analysis, declSpan: Span): SumExpr | undefined {
  for (const s of a.info.sums.keys()) if (s.span.start === declSpan.start && s.span.end === declSpan.end) return s;
  return undefined;
}

/** [0,1,2,3,7,9,10] → "0..3, 7, 9..10". */
export function compressRanges(xs: number[]): string {
  const s = [...new Set(xs)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length;) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j > i ? `${s[i]}..${s[j]}` : String(s[i]));
    i = j + 1;
  }
  if (parts.length > 8) return `${parts.slice(0, 8).join(', ')}, … (${s.length} qubits)`;
  return parts.join(', ');
}

function wordAt(text: string, offset: number): { text: string; span: Span } | undefined {
  let a = offset;
  let b = offset;
  while (a > 0 && /[A-Za-z0-9_]/.test(text[a - 1])) a--;
  while (b < text.length && /[A-Za-z0-9_]/.test(text[b])) b++;
  return a < b ? { text: text.slice(a, b), span: { start: a, end: b } } : undefined;
}

/** Compile status, numbers and a monospace preview of the circuit, for the evolve hover. */
function compileSection(valid: boolean, c: { status: BlockStatus; result?: CompileResult } | undefined): string[] {
  if (!valid) return ['Status: has errors; fix them to compile.'];
  const st = c?.status;
  if (!st || st.state === 'idle' || st.state === 'cancelled') return ['Status: not compiled yet (QHam: Compile, or the code lens above the block).'];
  if (st.state === 'queued') return ['Status: queued for compilation.'];
  if (st.state === 'running') return [`Status: compiling — ${st.progress?.message ?? 'starting'}.`];
  if (st.state === 'failed') return [`Status: **compilation failed** — ${st.error ?? 'unknown error'}.`];
  if (st.state !== 'done' || !c?.result) return [`Status: ${st.state}.`];
  const n = c.result.numbers;
  const lines = [
    `Status: compiled${st.cached ? ' (cached)' : ''}${c.result.goalReached ? '' : ' — **goal not reached**'}.`,
    '',
    `| fidelity | target error | depth | 2q depth | CX | params | iterations | time |`,
    `|---|---|---|---|---|---|---|---|`,
    `| ${n.fidelity?.toFixed(6) ?? '—'} | ${n.targetError?.toExponential(1) ?? '—'} | ${n.depth} | ${n.twoQubitDepth} | ${n.cxCount} | ${n.parameters ?? '—'} | ${n.iterations ?? '—'} | ${n.seconds.toFixed(1)} s |`,
  ];
  const t = n.trotter;
  if (t) {
    lines.push('', `Trotter: same 2q depth → F ${t.sameDepthFidelity?.toFixed(6) ?? '—'}; same fidelity → ${t.stepsForSameFidelity ?? '—'} steps, 2q depth ${t.twoQubitDepth ?? '—'}${t.depthRatio ? ` (${t.depthRatio.toFixed(1)}× deeper)` : ''}.`);
  }
  lines.push('', '```text', toAscii(c.result.circuit, { maxQubits: 6, maxColumns: 20 }), '```');
  return lines;
}
