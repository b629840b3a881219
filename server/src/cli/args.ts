// Command-line parsing for `qham`: subcommand, files, flags; bad usage is reported, not thrown.

export class UsageError extends Error {}

export interface ParsedArgs {
  command: string;
  files: string[];
  flags: Map<string, string[]>;
}

/** Flags that take a value; every other `--x` is boolean. */
const VALUE_FLAGS = new Set(['--block', '--set', '--qasm', '--qasm2', '--json', '--svg', '--max-memory']);

export function parseArgs(argv: string[], known: Set<string>): ParsedArgs {
  const [command = 'help', ...rest] = argv;
  const files: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (!known.has(name)) throw new UsageError(`unknown option ${name}`);
      let value = 'true';
      if (VALUE_FLAGS.has(name)) {
        if (eq > 0) value = a.slice(eq + 1);
        else if (i + 1 < rest.length) value = rest[++i];
        else throw new UsageError(`${name} needs a value`);
      }
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else {
      files.push(a);
    }
  }
  return { command, files, flags };
}

/** `--set name=value` → overrides; value is a number or a `[a, b, …]` list of numbers. */
export function parseOverrides(sets: string[]): Map<string, number | number[]> {
  const out = new Map<string, number | number[]>();
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes name=value, found "${s}"`);
    const name = s.slice(0, eq).trim();
    const raw = s.slice(eq + 1).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--set: "${name}" is not a param name`);
    out.set(name, parseOverrideValue(raw, name));
  }
  return out;
}

function parseOverrideValue(raw: string, name: string): number | number[] {
  if (raw.startsWith('[')) {
    if (!raw.endsWith(']')) throw new UsageError(`--set ${name}: an array must end with ]`);
    const inner = raw.slice(1, -1).trim();
    const parts = inner === '' ? [] : inner.split(',');
    return parts.map((p) => parseNumber(p.trim(), name));
  }
  return parseNumber(raw, name);
}

function parseNumber(raw: string, name: string): number {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new UsageError(`--set ${name}: "${raw}" is not a number`);
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new UsageError(`--set ${name}: "${raw}" is not a finite number`);
  return v;
}
