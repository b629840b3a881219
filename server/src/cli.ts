// Entry point of the bundled `qham` command.
import { main } from './cli/main';

process.exitCode = main(process.argv.slice(2));
