// The `qham` command line. Exit codes: 0 success, 1 errors in a file, 2 goal not reached, 3 bad usage.
import { UsageError, parseArgs, parseOverrides } from './args';
import { SourceError, checkFile } from './check';
import { COMPILE_FLAGS, compileCommand } from './compile';
import { infoFile } from './info';

const HELP = `qham — check and compile QHam (.qham) quantum-simulation programs

usage:
  qham check FILE…  [--set name=value]…   diagnostics as file:line:col: severity CODE: message
  qham info FILE…   [--set name=value]…   what each file defines (register, Hamiltonians, evolve blocks)
  qham compile FILE [options]             compile the file's evolve blocks into circuits
  qham help                               this text

compile options:
  --block NAME        only this block (its \`as\` name, or its 1-based position); may be repeated
  --set name=value    override a param (a number or [a, b, …]); may be repeated
  --qasm OUT          write OpenQASM 3
  --qasm2 OUT         write OpenQASM 2 (qelib1.inc gates only)
  --json OUT          write the results as JSON (format qham-result, version 1; all blocks in one file)
  --svg OUT           write the circuit drawing as SVG
  --quiet             no progress line (it is drawn only on a terminal anyway)
  --max-memory MB     refuse a block whose estimated peak memory exceeds MB (default 4096)
  When several blocks are compiled, --qasm, --qasm2 and --svg write one file per block,
  inserting -BLOCK before the extension: --qasm out/c.qasm → out/c-shallow.qasm, out/c-baseline.qasm.
  Files are replaced atomically; missing directories are created. Ctrl+C cancels (exit 130).

exit codes: 0 success · 1 errors in a file · 2 goal not reached · 3 bad usage`;

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n'), err: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<number> {
  try {
    const args = parseArgs(argv, new Set(argv[0] === 'compile' ? COMPILE_FLAGS : ['--set', '--help']));
    if (args.command === 'help' || args.command === '--help' || args.flags.has('--help')) {
      out(HELP);
      return 0;
    }
    const overrides = parseOverrides(args.flags.get('--set') ?? []);
    switch (args.command) {
      case 'check':
      case 'info': {
        if (args.files.length === 0) throw new UsageError(`qham ${args.command} needs at least one file`);
        let errors = 0;
        let unreadable = false;
        for (const f of args.files) {
          try {
            const r = args.command === 'check' ? checkFile(f, overrides) : infoFile(f, overrides);
            errors += r.errors;
            for (const l of r.lines) out(l);
          } catch (e) {
            if (!(e instanceof SourceError)) throw e;
            err(`qham: ${e.message}`);
            unreadable = true;
          }
        }
        if (unreadable) return 3;
        return errors > 0 ? 1 : 0;
      }
      case 'compile':
        try {
          return await compileCommand(args, overrides, { out, err });
        } catch (e) {
          if (!(e instanceof SourceError)) throw e;
          err(`qham: ${e.message}`);
          return 3;
        }
      default:
        throw new UsageError(`unknown command "${args.command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`qham: ${e.message}\nRun \`qham help\` for usage.`);
      return 3;
    }
    throw e;
  }
}
