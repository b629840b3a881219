// `qham check FILE…`: diagnostics for each file; exit 1 when any error is found.
import { readFileSync } from 'node:fs';
import { analyze } from '../lang/analyze';
import { LineIndex } from '../model/span';
import { formatDiagnostic } from './format';

export interface CheckOutcome {
  errors: number;
  warnings: number;
  lines: string[];
}

export function checkFile(file: string, overrides: ReadonlyMap<string, number | number[]>): CheckOutcome {
  const text = readSource(file);
  const a = analyze(text, { overrides });
  const index = new LineIndex(text);
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const d of a.diagnostics) {
    if (d.severity === 'hint') continue;
    if (d.severity === 'error') errors++;
    if (d.severity === 'warning') warnings++;
    lines.push(formatDiagnostic(file, index, d));
  }
  for (const name of overrides.keys()) {
    if (!a.program.params.has(name) && !a.diagnostics.some((d) => d.severity === 'error')) {
      lines.push(`${file}: error: --set ${name}: the file has no param \`${name}\``);
      errors++;
    }
  }
  return { errors, warnings, lines };
}

export class SourceError extends Error {}

/** Reads a source file, turning I/O failures into one clear message. */
export function readSource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new SourceError(`${file}: cannot read: ${why}`);
  }
}
