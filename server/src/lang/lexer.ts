// Lexer: turns source text into tokens with exact spans. Never throws; bad characters become diagnostics.
import { CODES, DiagnosticSink } from './diagnostics';

export const KEYWORDS = new Set(['qubits', 'param', 'hamiltonian', 'state', 'evolve', 'under', 'for', 'as', 'sum', 'in', 'step']);
/** Keywords that open a top-level statement: the parser resynchronises on them. */
export const STATEMENT_KEYWORDS = new Set(['qubits', 'param', 'hamiltonian', 'state', 'evolve']);

export type TokenKind = 'ident' | 'keyword' | 'number' | 'string' | 'punct' | 'newline' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text (for strings: the decoded value is in `value`). */
  text: string;
  start: number;
  end: number;
  /** Numeric value of a number; decoded text of a string. */
  value?: number | string;
}

const PUNCT2 = new Set(['..']);
const LOOKALIKES: Readonly<Record<string, string>> = { '\u2212': '-', '\u2013': '-', '\u00d7': '*', '\u00b7': '*', '\u22c5': '*', '\u03c0': 'pi' };
const PUNCT1 = new Set(['{', '}', '(', ')', '[', ']', ',', '=', '+', '-', '*', '/', '%', '^']);

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function lex(text: string, sink: DiagnosticSink): Token[] {
  const tokens: Token[] = [];
  const len = text.length;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    // Whitespace other than newlines.
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff || c === 12 || c === 11) {
      i++;
      continue;
    }
    if (c === 10) {
      tokens.push({ kind: 'newline', text: '\n', start: i, end: i + 1 });
      i++;
      continue;
    }
    // Comments: # or // to end of line.
    if (c === 35 || (c === 47 && text.charCodeAt(i + 1) === 47)) {
      while (i < len && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (isIdentStart(c)) {
      const s = i;
      while (i < len && isIdentPart(text.charCodeAt(i))) i++;
      const word = text.slice(s, i);
      tokens.push({ kind: KEYWORDS.has(word) ? 'keyword' : 'ident', text: word, start: s, end: i });
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)) && text.charCodeAt(i - 1) !== 46)) {
      i = lexNumber(text, i, tokens, sink);
      continue;
    }
    if (c === 34) {
      i = lexString(text, i, tokens, sink);
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      tokens.push({ kind: 'punct', text: two, start: i, end: i + 2 });
      i += 2;
      continue;
    }
    const one = text[i];
    if (PUNCT1.has(one)) {
      tokens.push({ kind: 'punct', text: one, start: i, end: i + 1 });
      i++;
      continue;
    }
    // Characters pasted from papers: read them as meant, with a fix to the ASCII spelling.
    const alike = LOOKALIKES[text[i]];
    if (alike) {
      sink.error(CODES.UnexpectedCharacter, { start: i, end: i + 1 }, `\`${text[i]}\` is not QHam syntax; write \`${alike}\`.`, {
        fix: { title: `Replace with \`${alike}\``, edits: [{ span: { start: i, end: i + 1 }, newText: alike }] },
      });
      tokens.push({ kind: alike === 'pi' ? 'ident' : 'punct', text: alike, start: i, end: i + 1 });
      i++;
      continue;
    }
    // Unknown character(s): one diagnostic for a run of them.
    const s = i;
    const cp = text.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    while (i < len) {
      const d = text.charCodeAt(i);
      if (d === 10 || d === 32 || d === 9 || isIdentPart(d) || d === 34 || d === 35 || PUNCT1.has(text[i]) || d === 46) break;
      i += (text.codePointAt(i)! > 0xffff ? 2 : 1);
    }
    const bad = text.slice(s, i);
    const hint = bad === ';' ? ' Statements end at the end of a line; no `;` is needed.' : bad === '.' ? '' : '';
    sink.error(CODES.UnexpectedCharacter, { start: s, end: i }, `Unexpected character${bad.length > 1 ? 's' : ''} \`${bad}\`.${hint}`, bad === ';' ? { fix: { title: 'Remove `;`', edits: [{ span: { start: s, end: i }, newText: '' }] } } : undefined);
  }
  tokens.push({ kind: 'eof', text: '', start: len, end: len });
  return tokens;
}

function lexNumber(text: string, i: number, tokens: Token[], sink: DiagnosticSink): number {
  const s = i;
  const len = text.length;
  while (i < len && isDigit(text.charCodeAt(i))) i++;
  // A fraction only when a digit follows the dot, so that `0..n` is a range.
  if (text.charCodeAt(i) === 46 && text.charCodeAt(i + 1) !== 46) {
    i++;
    while (i < len && isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (isDigit(text.charCodeAt(j))) {
      while (j < len && isDigit(text.charCodeAt(j))) j++;
      i = j;
    } else if (!isIdentPart(text.charCodeAt(i + 1)) || sign === 43 || sign === 45) {
      // `1e` or `1e+` with no digits: clearly a broken exponent.
      sink.error(CODES.InvalidNumber, { start: s, end: j }, `Invalid number \`${text.slice(s, j)}\`: the exponent needs digits, as in \`1e-3\`.`);
      tokens.push({ kind: 'number', text: text.slice(s, j), start: s, end: j, value: Number(text.slice(s, i)) });
      return j;
    }
  }
  const raw = text.slice(s, i);
  tokens.push({ kind: 'number', text: raw, start: s, end: i, value: Number(raw) });
  return i;
}

function lexString(text: string, i: number, tokens: Token[], sink: DiagnosticSink): number {
  const s = i;
  i++;
  let value = '';
  const len = text.length;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      tokens.push({ kind: 'string', text: text.slice(s, i + 1), start: s, end: i + 1, value });
      return i + 1;
    }
    if (c === 10) break;
    if (c === 92 && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    value += text[i];
    i++;
  }
  sink.error(CODES.UnterminatedString, { start: s, end: i }, 'Unterminated string: add the closing `"` on the same line.', {
    fix: { title: 'Close the string', edits: [{ span: { start: i, end: i }, newText: '"' }] },
  });
  tokens.push({ kind: 'string', text: text.slice(s, i), start: s, end: i, value });
  return i;
}
