// Bundles every entry point with esbuild: one file each, CommonJS, for Node 20.
import { build } from 'esbuild';

const entries = {
  client: 'client/src/extension.ts',
  server: 'server/src/server.ts',
  cli: 'server/src/cli.ts',
  worker: 'server/src/jobs/worker-main.ts',
};
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

await Promise.all(Object.entries(entries).map(([name, entry]) => build({
  entryPoints: [entry],
  outfile: `dist/${name}.js`,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode'],
  logLevel: 'warning',
})));
if (watch) console.log('watch mode is not supported; rerun npm run build');
