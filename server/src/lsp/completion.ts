// textDocument/completion: statement keywords, names in scope, evolve keys and their values.
import { type CompletionItem, CompletionItemKind, InsertTextFormat } from 'vscode-languageserver';
import type { Analysis } from '../lang/analyze';
import { CONSTANTS, FUNCTIONS, OPTIONS, OPTION_BY_KEY } from '../lang/builtins';
import { locate } from '../lang/locate';

const STATEMENTS: CompletionItem[] = [
  { label: 'qubits', kind: CompletionItemKind.Keyword, insertText: 'qubits ${1:10}', insertTextFormat: InsertTextFormat.Snippet, detail: 'the register size' },
  { label: 'param', kind: CompletionItemKind.Keyword, insertText: 'param ${1:name} = ${2:1.0}', insertTextFormat: InsertTextFormat.Snippet, detail: 'a named constant' },
  { label: 'hamiltonian', kind: CompletionItemKind.Keyword, insertText: 'hamiltonian ${1:H} {\n  $0\n}', insertTextFormat: InsertTextFormat.Snippet, detail: 'a Hamiltonian' },
  { label: 'state', kind: CompletionItemKind.Keyword, insertText: 'state ${1:psi0} = ${2|zero,neel,plus|}', insertTextFormat: InsertTextFormat.Snippet, detail: 'an initial product state' },
  { label: 'evolve', kind: CompletionItemKind.Keyword, insertText: 'evolve ${1:psi0} under ${2:H} for ${3:1.0} {\n  $0\n}', insertTextFormat: InsertTextFormat.Snippet, detail: 'a compile task' },
];

const STATE_WORDS: CompletionItem[] = [
  { label: 'zero', kind: CompletionItemKind.EnumMember, detail: '|00…0⟩' },
  { label: 'neel', kind: CompletionItemKind.EnumMember, detail: '|0101…⟩ (qubit 0 is 0)' },
  { label: 'plus', kind: CompletionItemKind.EnumMember, detail: '|++…+⟩' },
  { label: 'bits', kind: CompletionItemKind.EnumMember, insertText: 'bits "$1"', insertTextFormat: InsertTextFormat.Snippet, detail: 'bits "0110…": character k is qubit k' },
];

export function complete(a: Analysis, offset: number): CompletionItem[] {
  const text = a.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset).replace(/(#|\/\/).*$/, '');
  if (/(#|\/\/)/.test(text.slice(lineStart, offset))) return []; // inside a comment
  const loc = locate(a, offset);
  const st = loc.statement;
  const inEvolveBody = st?.kind === 'evolve' && st.bodySpan !== undefined && offset > st.bodySpan.start && offset <= st.bodySpan.end;

  // `key = |` inside an evolve block: that key's values.
  const optValue = /^\s*([A-Za-z_]\w*)\s*=\s*[\w."]*$/.exec(before);
  if (inEvolveBody && optValue) {
    const spec = OPTION_BY_KEY.get(optValue[1]);
    if (!spec) return [];
    const items: CompletionItem[] = spec.words.map((w) => ({ label: w, kind: CompletionItemKind.EnumMember, detail: spec.key }));
    if (spec.key === 'order') items.push({ label: '1', kind: CompletionItemKind.Value }, { label: '2', kind: CompletionItemKind.Value });
    if (spec.key === 'output') items.push({ label: '"out/circuit.qasm"', kind: CompletionItemKind.File });
    return items;
  }
  // Start of a line inside an evolve block: keys not yet set.
  if (inEvolveBody && /^\s*\w*$/.test(before) && st?.kind === 'evolve') {
    const used = new Set(st.options.map((o) => o.key.name));
    return OPTIONS.filter((o) => !used.has(o.key)).map((o) => ({
      label: o.key,
      kind: CompletionItemKind.Property,
      detail: `default ${o.defaultText}`,
      documentation: o.doc,
      insertText: `${o.key} = `,
    }));
  }
  // `state x = |`
  if (/^\s*state\s+\w+\s*=\s*\w*$/.test(before)) return STATE_WORDS;
  // `evolve |` → states; `under |` → Hamiltonians
  if (/^\s*evolve\s+\w*$/.test(before)) return names(a, offset, ['state']);
  if (/^\s*evolve\s+\w+\s+under\s+\w*$/.test(before)) return names(a, offset, ['hamiltonian']);
  if (/^\s*evolve\s+\w+\s*$/.test(before.replace(/\w*$/, '')) && !/under/.test(before)) return [{ label: 'under', kind: CompletionItemKind.Keyword }];
  // Start of a top-level line.
  if (/^\w*$/.test(before) && !inBody(a, offset)) return STATEMENTS;
  // Names being declared get no suggestions.
  if (/^\s*(param|hamiltonian|state)\s+\w*$/.test(before) || /\bas\s+\w*$/.test(before) || /\bsum\s+\w*$/.test(before)) return [];
  return expressionItems(a, offset);
}

function inBody(a: Analysis, offset: number): boolean {
  const st = a.ast.statements.find((s) => offset > s.span.start && offset <= s.span.end);
  if (!st) return false;
  return (st.kind === 'hamiltonian' && offset > st.bodySpan.start) || (st.kind === 'evolve' && st.bodySpan !== undefined && offset > st.bodySpan.start);
}

function names(a: Analysis, offset: number, kinds: string[]): CompletionItem[] {
  return a.resolution.symbols
    .filter((d) => kinds.includes(d.kind) && d.nameSpan.end <= offset)
    .map((d) => ({ label: d.name, kind: d.kind === 'state' ? CompletionItemKind.Variable : CompletionItemKind.Class, detail: d.kind }));
}

function expressionItems(a: Analysis, offset: number): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const d of a.resolution.symbols) {
    if (d.kind === 'loop') {
      if (d.scope && offset > d.scope.start && offset <= d.scope.end) items.push({ label: d.name, kind: CompletionItemKind.Variable, detail: 'loop variable' });
    } else if ((d.kind === 'param' || d.kind === 'hamiltonian') && d.declSpan.end < offset) {
      const v = a.info.params.get(d.name);
      items.push({ label: d.name, kind: d.kind === 'param' ? CompletionItemKind.Constant : CompletionItemKind.Class, detail: d.kind === 'param' ? `param = ${typeof v === 'number' ? v : Array.isArray(v) ? `[${v.length} values]` : '?'}` : 'hamiltonian' });
    } else if (d.kind === 'qubits' && d.declSpan.end < offset) {
      items.push({ label: 'n', kind: CompletionItemKind.Constant, detail: `register size = ${a.program.qubits ?? '?'}` });
    }
  }
  for (const [k, v] of Object.entries(CONSTANTS)) items.push({ label: k, kind: CompletionItemKind.Constant, detail: String(v) });
  for (const [k, f] of Object.entries(FUNCTIONS)) items.push({ label: k, kind: CompletionItemKind.Function, detail: f.doc, insertText: `${k}($1)`, insertTextFormat: InsertTextFormat.Snippet });
  for (const p of ['X', 'Y', 'Z', 'I']) items.push({ label: `${p}[]`, filterText: p, kind: CompletionItemKind.Operator, detail: p === 'I' ? 'identity (constant shift)' : `Pauli ${p}`, insertText: `${p}[$1]`, insertTextFormat: InsertTextFormat.Snippet });
  items.push({ label: 'sum', kind: CompletionItemKind.Keyword, detail: 'sum over an inclusive range', insertText: 'sum ${1:i} in ${2:0}..${3:n-1} { $0 }', insertTextFormat: InsertTextFormat.Snippet });
  return items;
}
