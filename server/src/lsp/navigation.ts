// textDocument/definition, references, prepareRename and rename over the resolved symbols.
import { LSPErrorCodes, type Location, ResponseError, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../lang/analyze';
import { isReserved } from '../lang/builtins';
import { KEYWORDS } from '../lang/lexer';
import { symbolAt } from '../lang/locate';
import { toRange } from './convert';

export function definition(doc: TextDocument, a: Analysis, offset: number): Location | null {
  const s = symbolAt(a, offset);
  if (!s) return null;
  return { uri: doc.uri, range: toRange(doc, s.def.nameSpan) };
}

export function references(doc: TextDocument, a: Analysis, offset: number, includeDeclaration: boolean): Location[] {
  const s = symbolAt(a, offset);
  if (!s) return [];
  const spans = s.def.kind === 'qubits' ? s.def.refs : [...(includeDeclaration ? [s.def.nameSpan] : []), ...s.def.refs];
  return spans.map((sp) => ({ uri: doc.uri, range: toRange(doc, sp) }));
}

export function prepareRename(doc: TextDocument, a: Analysis, offset: number): { range: ReturnType<typeof toRange>; placeholder: string } | null {
  const s = symbolAt(a, offset);
  if (!s || s.def.kind === 'qubits') return null;
  return { range: toRange(doc, s.span), placeholder: s.def.name };
}

export function rename(doc: TextDocument, a: Analysis, offset: number, newName: string): WorkspaceEdit | ResponseError<void> | null {
  const s = symbolAt(a, offset);
  if (!s) return null;
  if (s.def.kind === 'qubits') return new ResponseError(LSPErrorCodes.RequestFailed, '`n` is built in: it is set by `qubits` and cannot be renamed.');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return new ResponseError(LSPErrorCodes.RequestFailed, `\`${newName}\` is not a valid name: use letters, digits and _, starting with a letter or _.`);
  if (KEYWORDS.has(newName) || isReserved(newName)) return new ResponseError(LSPErrorCodes.RequestFailed, `\`${newName}\` is a keyword or built-in name.`);
  const clash = a.resolution.symbols.find((d) => d !== s.def && d.name === newName && (d.kind !== 'loop' || s.def.kind === 'loop'));
  if (clash && (s.def.kind !== 'loop' || overlaps(clash.scope, s.def.scope) || clash.kind !== 'loop')) {
    return new ResponseError(LSPErrorCodes.RequestFailed, `\`${newName}\` is already used by ${clash.kind === 'loop' ? 'a loop variable' : `the ${clash.kind} on line ${doc.positionAt(clash.nameSpan.start).line + 1}`}.`);
  }
  const edits: TextEdit[] = [s.def.nameSpan, ...s.def.refs].map((sp) => ({ range: toRange(doc, sp), newText: newName }));
  return { changes: { [doc.uri]: edits } };
}

function overlaps(a: { start: number; end: number } | undefined, b: { start: number; end: number } | undefined): boolean {
  if (!a || !b) return true;
  return a.start <= b.end && b.start <= a.end;
}
