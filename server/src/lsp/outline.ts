// textDocument/documentSymbol (the outline) and textDocument/foldingRange.
import { type DocumentSymbol, type FoldingRange, FoldingRangeKind, SymbolKind } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../lang/analyze';
import { walkExpr } from '../lang/ast';
import { formatNumber } from '../model/pauli';
import { toRange } from './convert';

export function documentSymbols(doc: TextDocument, a: Analysis): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const s of a.ast.statements) {
    const range = toRange(doc, s.span);
    switch (s.kind) {
      case 'qubits':
        out.push({ name: `qubits ${a.program.qubits ?? ''}`.trim(), kind: SymbolKind.Constant, range, selectionRange: toRange(doc, s.keyword) });
        break;
      case 'param': {
        const v = a.info.params.get(s.name.name);
        out.push({ name: s.name.name, detail: v === undefined ? '' : typeof v === 'number' ? `= ${formatNumber(v)}` : `[${v.length} values]`, kind: SymbolKind.Constant, range, selectionRange: toRange(doc, s.name.span) });
        break;
      }
      case 'hamiltonian': {
        const h = a.info.hamiltonians.get(s.name.name);
        out.push({ name: s.name.name, detail: h ? `${h.sum.terms.length} terms` : '', kind: SymbolKind.Operator, range, selectionRange: toRange(doc, s.name.span) });
        break;
      }
      case 'state':
        out.push({ name: s.name.name, detail: s.value?.kind ?? '', kind: SymbolKind.Variable, range, selectionRange: toRange(doc, s.name.span) });
        break;
      case 'evolve': {
        const ev = a.info.evolveOptions.get(s);
        out.push({
          name: ev?.name ?? 'evolve',
          detail: `${s.state?.name ?? '?'} under ${s.hamiltonian?.name ?? '?'} · ${ev?.options.method ?? ''}`,
          kind: SymbolKind.Event,
          range,
          selectionRange: toRange(doc, s.alias?.span ?? s.keyword),
          children: s.options.map((o) => ({ name: o.key.name, detail: a.text.slice(o.value.span.start, o.value.span.end), kind: SymbolKind.Property, range: toRange(doc, o.span), selectionRange: toRange(doc, o.key.span) })),
        });
        break;
      }
    }
  }
  return out;
}

export function foldingRanges(doc: TextDocument, a: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  // A block folds from its opening line to the line before its closing bracket, which stays visible.
  const add = (start: number, end: number) => {
    const s = doc.positionAt(start).line;
    const e = doc.positionAt(end).line - 1;
    if (e > s) out.push({ startLine: s, endLine: e });
  };
  for (const st of a.ast.statements) {
    if (st.kind === 'hamiltonian') {
      add(st.bodySpan.start, st.bodySpan.end);
      for (const l of st.lines) walkExpr(l, (e) => { if (e.kind === 'sum') add(e.bodySpan.start, e.bodySpan.end); });
    }
    if (st.kind === 'evolve' && st.bodySpan) add(st.bodySpan.start, st.bodySpan.end);
    if (st.kind === 'param' && st.value.kind === 'array') add(st.value.span.start, st.value.span.end);
  }
  // Runs of two or more comment lines.
  const lines = a.text.split('\n');
  let runStart = -1;
  for (let i = 0; i <= lines.length; i++) {
    const isComment = i < lines.length && /^\s*(#|\/\/)/.test(lines[i]);
    if (isComment && runStart < 0) runStart = i;
    if (!isComment && runStart >= 0) {
      if (i - 1 > runStart) out.push({ startLine: runStart, endLine: i - 1, kind: FoldingRangeKind.Comment });
      runStart = -1;
    }
  }
  return out.filter((r) => r.endLine > r.startLine);
}
