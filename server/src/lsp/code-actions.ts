// textDocument/codeAction: the one obvious fix of each diagnostic that has one, as a quick fix.
import { type CodeAction, CodeActionKind, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../lang/analyze';
import { toLspDiagnostic, toRange, toSpan } from './convert';

export function codeActions(doc: TextDocument, a: Analysis, range: Range): CodeAction[] {
  const want = toSpan(doc, range);
  const out: CodeAction[] = [];
  for (const d of a.diagnostics) {
    if (!d.fix) continue;
    if (d.span.end < want.start || d.span.start > want.end) continue;
    out.push({
      title: d.fix.title,
      kind: CodeActionKind.QuickFix,
      isPreferred: true,
      diagnostics: [toLspDiagnostic(doc, d)],
      edit: { changes: { [doc.uri]: d.fix.edits.map((e) => ({ range: toRange(doc, e.span), newText: e.newText })) } },
    });
  }
  return out;
}
