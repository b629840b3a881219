// Bundles every entry point with esbuild: one file each. Node entries are CommonJS for Node 20; the
// circuit view's script runs inside a webview (a browser), so it is an IIFE for the browser.
import { build } from 'esbuild';

const node = { platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'] };
const browser = { platform: 'browser', target: 'es2022', format: 'iife' };
const entries = {
  client: ['client/src/extension.ts', node],
  server: ['server/src/server.ts', node],
  cli: ['server/src/cli.ts', node],
  worker: ['server/src/jobs/worker-main.ts', node],
  webview: ['client/src/circuit-view/webview.ts', browser],
};
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

await Promise.all(Object.entries(entries).map(([name, [entry, options]]) => build({
  entryPoints: [entry],
  outfile: `dist/${name}.js`,
  bundle: true,
  ...options,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
})));
if (watch) console.log('watch mode is not supported; rerun npm run build');
