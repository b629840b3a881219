// Diagnostics as `file:line:col: severity CODE: message` (1-based), the format editors and CI parse.
import type { Diagnostic } from '../lang/diagnostics';
import { LineIndex } from '../model/span';

export function formatDiagnostic(file: string, index: LineIndex, d: Diagnostic): string {
  const p = index.position(d.span.start);
  return `${file}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}

export const useColour = (stream: NodeJS.WriteStream): boolean => Boolean(stream.isTTY) && !process.env.NO_COLOR;

export function paint(on: boolean, code: number, s: string): string {
  return on ? `\x1b[${code}m${s}\x1b[0m` : s;
}
