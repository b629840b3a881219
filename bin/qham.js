#!/usr/bin/env node
// The `qham` command: a thin launcher for the bundled CLI.
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('qham: the CLI is not built yet; run `npm run build` (npm ci does it for you).\n');
  process.exit(3);
}
require(cli);
