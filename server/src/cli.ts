// Entry point of the bundled `qham` command. The same bundle is the body of `qham compile`'s worker
// threads: a worker runs one compile job and never the command line.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { isCompileWorker, runCompileWorker } from './cli/compile';
import { main } from './cli/main';

if (!isMainThread && parentPort && isCompileWorker(workerData)) {
  runCompileWorker(workerData, parentPort);
} else {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`qham: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
