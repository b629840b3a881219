// The `qham` command line. Exit codes: 0 success, 1 errors in a file, 2 goal not reached, 3 bad usage.
import { UsageError, parseArgs, parseOverrides } from './args';
import { SourceError, checkFile } from './check';
import { infoFile } from './info';

const HELP = `qham — check and compile QHam (.qham) quantum-simulation programs

usage:
  qham check FILE…  [--set name=value]…   diagnostics as file:line:col: severity CODE: message
  qham info FILE…   [--set name=value]…   what each file defines (register, Hamiltonians, evolve blocks)
  qham help                               this text

exit codes: 0 success · 1 errors in a file · 2 goal not reached · 3 bad usage`;

export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n'), err: (s: string) => void = (s) => process.stderr.write(s + '\n')): number {
  try {
    const args = parseArgs(argv, new Set(['--set', '--help']));
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
