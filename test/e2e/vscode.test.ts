// End-to-end: the extension in a real VS Code (code-server 4.100.3 = VS Code 1.100.3), driven by
// headless Debian Chromium through playwright-core. It checks what a user sees: the squiggle under
// an undefined name, the Problems entry (QH200), the status bar count, a hover with a param's value,
// TextMate highlighting, and that "QHam: Restart Server" brings diagnostics back.
//
// Needs: scripts/setup-code-server.sh (installs code-server into .cache/code-server/; needs the apt
// packages it names) and /usr/bin/chromium. Screenshots go to test-artifacts/e2e/.
// Run: node --import tsx --test test/e2e/vscode.test.ts   (skipped by scripts/test.mjs if QHAM_SKIP_E2E)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const CHROMIUM = process.env.QHAM_CHROMIUM ?? '/usr/bin/chromium';
const EXAMPLE = 'xxz-20.qham';
const STEP = 30_000; // the longest any single UI step may take

// The callbacks given to page.evaluate run in the page. tsconfig has no DOM lib, so these names are
// declared here, for this module only. (And no named functions inside those callbacks: tsx's
// keepNames would wrap them in a `__name` helper that does not exist in the page.)
declare const document: any;
declare const window: any;
declare const NodeFilter: any;
declare const MutationObserver: any;
declare function getComputedStyle(el: any): { color: string };

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: code-server runs in its own session/process group (spawn's `detached` is
// setsid()), so `kill -- -PID` takes its helpers (extension host, language server, pty host) too.
let server: ChildProcess | undefined;
let serverLog = '';
let context: BrowserContext | undefined;

function killServerGroup(signal: NodeJS.Signals = 'SIGKILL'): void {
  if (server?.pid === undefined) return;
  try { process.kill(-server.pid, signal); } catch { /* already gone */ }
}
let scratch: string | undefined; // HOME, XDG dirs, user data, workspace, browser profile

function removeScratch(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  scratch = undefined;
}
// Last resort if the test process dies without reaching `finally` (the browser is cleaned up by
// playwright's own exit hooks).
process.on('exit', () => { killServerGroup('SIGKILL'); removeScratch(); });
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { killServerGroup('SIGKILL'); process.exit(130); });
}

async function stopServer(): Promise<void> {
  const s = server;
  if (s?.pid === undefined) return;
  const exited = s.exitCode !== null || s.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => s.once('exit', () => r()));
  killServerGroup('SIGTERM');
  const timer = setTimeout(() => killServerGroup('SIGKILL'), 3000);
  await Promise.race([exited, sleep(5000)]);
  clearTimeout(timer);
  killServerGroup('SIGKILL'); // stragglers of the group (the leader may exit first)
  server = undefined;
}

type Tok = { text: string; cls: string; color: string };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

async function waitForHealthz(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server && server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`code-server not healthy on port ${port} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** Every file under dir whose name matches, newest last (VS Code's own logs, for failure reports). */
function findLogs(dir: string, re: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of existsSync(d) ? readdirSync(d) : []) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (re.test(f)) out.push(p);
    }
  };
  walk(dir);
  return out.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
}

// ---------------------------------------------------------------------------------------------
// UI helpers.

async function shot(page: Page, name: string): Promise<void> {
  // animations: 'disabled' finishes fade-ins (a hover would otherwise be caught half transparent).
  await page.screenshot({ path: join(ARTIFACTS, name), animations: 'disabled' });
}

/** Ctrl+G → "line:col" → Enter; 1-based, like the Go to Line box. */
async function goTo(page: Page, line: number, col: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: STEP });
  await input.fill(`:${line}:${col}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP });
  // The status bar shows the cursor position: wait until it agrees.
  await page.locator('#status\\.editor\\.selection').filter({ hasText: `Ln ${line}, Col ${col}` })
    .waitFor({ timeout: STEP });
}

/** Ctrl+K Ctrl+I (show the hover at the cursor) until a hover containing `text` is visible; its text. */
async function showHover(page: Page, text: string): Promise<string> {
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: text }).first();
  for (let attempt = 0; attempt < 3; attempt++) { // the server may still be warming up
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    try {
      await hover.waitFor({ timeout: 10_000 });
      return await hover.innerText();
    } catch { await page.keyboard.press('Escape'); }
  }
  throw new Error(`no hover containing "${text}" after Ctrl+K Ctrl+I`);
}

async function problemsLabel(page: Page): Promise<string> {
  return (await page.locator('#status\\.problems').getAttribute('aria-label')) ?? '';
}

async function waitForProblems(page: Page, re: RegExp): Promise<void> {
  await page.waitForFunction(
    (src) => new RegExp(src).test(document.querySelector('#status\\.problems')?.getAttribute('aria-label') ?? ''),
    re.source, { timeout: STEP },
  );
}

/** Screen rectangles of the text `word` on the editor line whose text contains `lineText`. */
async function wordRect(page: Page, lineText: string, word: string) {
  return page.evaluate(({ lineText, word }) => {
    for (const line of document.querySelectorAll('.monaco-editor .view-lines .view-line') as any[]) {
      const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
      const at = text.indexOf(lineText);
      if (at < 0) continue;
      const start = at + lineText.indexOf(word);
      // Walk the text nodes to the character offsets of the word.
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let pos = 0;
      let started = false;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const len = n.textContent?.length ?? 0;
        if (!started && start < pos + len) { range.setStart(n, start - pos); started = true; }
        if (started && start + word.length <= pos + len) { range.setEnd(n, start + word.length - pos); break; }
        pos += len;
      }
      const r = range.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }
    return null;
  }, { lineText, word });
}

// ---------------------------------------------------------------------------------------------

test('the QHam extension in a real VS Code (code-server + Chromium)', { timeout: 170_000 }, async (t) => {
  const t0 = Date.now();
  const log = (msg: string) => t.diagnostic(`${((Date.now() - t0) / 1000).toFixed(1)}s ${msg}`);

  // 1. Build the extension if needed, install code-server if needed.
  if (!existsSync(join(ROOT, 'dist', 'client.js')) || !existsSync(join(ROOT, 'dist', 'server.js'))) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit', timeout: 60_000 });
    assert.equal(b.status, 0, 'node scripts/build.mjs failed');
  }
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`);
  const setup = spawnSync('bash', [join(ROOT, 'scripts', 'setup-code-server.sh')], {
    cwd: ROOT, encoding: 'utf8', timeout: 150_000, stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(setup.status, 0, `scripts/setup-code-server.sh failed:\n${tail(setup.stderr ?? '')}`);
  const codeServer = setup.stdout.trim().split('\n').pop()!;
  assert.ok(existsSync(codeServer), `no code-server at ${codeServer}`);
  log('code-server installed');

  // 2. Scratch folders: HOME, XDG dirs, VS Code's user data and extensions, the workspace, the browser.
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of ['squiggle.png', 'problems.png', 'hover.png', 'failure.png']) rmSync(join(ARTIFACTS, f), { force: true });
  const root = mkdtempSync(join(tmpdir(), 'qham-e2e-'));
  scratch = root;
  const dirs = Object.fromEntries(['home', 'config', 'data', 'cache', 'user-data', 'extensions', 'workspace', 'browser']
    .map((d) => { const p = join(root, d); mkdirSync(p, { recursive: true }); return [d, p]; })) as Record<string, string>;
  mkdirSync(join(dirs['user-data'], 'User'), { recursive: true });
  writeFileSync(join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': false,
    'extensions.ignoreRecommendations': true,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'chat.commandCenter.enabled': false,
    'editor.minimap.enabled': false,
    'editor.hover.delay': 300,
    'editor.fontSize': 14,
    'files.autoSave': 'off',
    'window.restoreWindows': 'none',
  }, null, 2));

  // The example with a deliberate error: `J * (X[i]…` → `Jx * (X[i]…` (QH200, did you mean `J`).
  const original = readFileSync(join(ROOT, 'examples', EXAMPLE), 'utf8');
  const broken = original.replace('{ J * (X[i]', '{ Jx * (X[i]');
  assert.notEqual(broken, original, `examples/${EXAMPLE} no longer has "{ J * (X[i]"`);
  const lines = broken.split('\n');
  const jxLine = lines.findIndex((l) => l.includes('Jx * (X[i]')) + 1;
  const deltaLine = lines.findIndex((l) => /^param Delta = 0\.5\b/.test(l)) + 1;
  assert.ok(deltaLine > 0, `examples/${EXAMPLE} has no "param Delta = 0.5" line`);
  const deltaCol = lines[deltaLine - 1].indexOf('Delta') + 3; // 1-based, inside the name
  writeFileSync(join(dirs.workspace, EXAMPLE), broken);

  let page: Page | undefined;
  try {
    // 3. code-server on a free loopback port, in its own process group.
    const port = await freePort();
    server = spawn(process.execPath, [
      codeServer,
      '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions,
      '--bind-addr', `127.0.0.1:${port}`,
    ], {
      cwd: dirs.workspace,
      detached: true, // setsid(): its own process group, killed as a whole
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HOME: dirs.home,
        XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, XDG_CACHE_HOME: dirs.cache,
      },
    });
    const append = (b: Buffer) => { serverLog = (serverLog + b.toString()).slice(-200_000); };
    server.stdout!.on('data', append);
    server.stderr!.on('data', append);
    await waitForHealthz(port, 20_000);
    log(`code-server up on port ${port}`);

    // 4. Chromium → the workbench, with the extension loaded from this repository.
    context = await chromium.launchPersistentContext(dirs.browser, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      env: { ...process.env, HOME: dirs.home },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    page = context.pages()[0] ?? await context.newPage();
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ROOT}`]]);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(payload)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: STEP });
    await page.locator('#status\\.problems').waitFor({ timeout: STEP });
    // The explorer lists the workspace: the remote file system is ready.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: EXAMPLE }).waitFor({ timeout: STEP });
    log('workbench ready');

    // 5. Open the file with Quick Open, as a user would.
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
    await page.keyboard.press('Control+P');
    const quickInput = page.locator('.quick-input-widget input');
    await quickInput.waitFor({ state: 'visible', timeout: STEP });
    await quickInput.fill(EXAMPLE);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: EXAMPLE }).first().waitFor({ timeout: STEP });
    await page.keyboard.press('Enter');
    await page.locator(`.tabs-container .tab[data-resource-name="${EXAMPLE}"]`).waitFor({ timeout: STEP });
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: STEP });
    await page.locator('#status\\.editor\\.mode', { hasText: 'QHam' }).waitFor({ timeout: STEP });
    log('file open, language mode QHam');

    // 6. The squiggle, under `Jx`.
    const squiggle = page.locator('.monaco-editor .squiggly-error');
    await squiggle.first().waitFor({ timeout: STEP });
    log('squiggle shown');
    const jx = await wordRect(page, 'Jx * (X[i]', 'Jx');
    assert.ok(jx, 'the line with `Jx` is not rendered');
    const boxes = await squiggle.evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }));
    assert.equal(boxes.length, 1, `expected one error squiggle, got ${boxes.length}`);
    const sq = boxes[0];
    assert.ok(sq.left <= jx.left + 2 && sq.right >= jx.right - 2 && sq.right <= jx.right + 12,
      `the squiggle [${sq.left}, ${sq.right}] does not cover \`Jx\` [${jx.left}, ${jx.right}]`);
    assert.ok(sq.top >= jx.top - 4 && sq.bottom <= jx.bottom + 8, 'the squiggle is not on the line of `Jx`');
    // The hover at the squiggle shows the diagnostic, as a user would see it.
    await goTo(page, jxLine, lines[jxLine - 1].indexOf('Jx') + 2); // on the name
    const errorHover = await showHover(page, 'Unknown name');
    assert.match(errorHover, /Unknown name `?Jx`?; did you mean `?J`?\?/);
    await shot(page, 'squiggle.png');
    await page.keyboard.press('Escape');

    // 7. Syntax highlighting: `hamiltonian` is coloured as a keyword, unlike plain text.
    const colours: { kw?: Tok; brace?: Tok; plain: string; all: Tok[] } | null = await page.evaluate(() => {
      const line = ([...document.querySelectorAll('.monaco-editor .view-lines .view-line')] as any[])
        .find((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').startsWith('hamiltonian H {'));
      if (!line) return null;
      const all = ([...line.querySelectorAll('span[class^="mtk"], span[class*=" mtk"]')] as any[]).map((s) => ({
        text: (s.textContent ?? '').replace(/\u00a0/g, ' ').trim() as string,
        cls: ([...s.classList] as string[]).find((c) => /^mtk\d+$/.test(c)) ?? '',
        color: getComputedStyle(s).color,
      }));
      // The editor's default foreground (a bracket's colour would come from bracket-pair colouring).
      const plain = getComputedStyle(line).color;
      return { kw: all.find((s) => s.text === 'hamiltonian'), brace: all.find((s) => s.text === '{'), plain, all };
    });
    assert.ok(colours?.kw, `no \`hamiltonian\` token span: ${JSON.stringify(colours)}`);
    assert.ok(colours.brace, `no \`{\` token span: ${JSON.stringify(colours)}`);
    assert.notEqual(colours.kw.cls, 'mtk1', 'the keyword `hamiltonian` has the default colour: no TextMate grammar?');
    assert.notEqual(colours.kw.cls, colours.brace.cls, `\`hamiltonian\` and \`{\` share ${colours.kw.cls}`);
    assert.notEqual(colours.kw.color, colours.plain, 'the keyword has the colour of plain text');
    log(`highlighting: hamiltonian=${colours.kw.cls} ${colours.kw.color}, {=${colours.brace.cls}, plain text ${colours.plain}`);

    // 8. The Problems panel and the status bar count.
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'QH200' });
    await row.first().waitFor({ timeout: STEP });
    const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    const entry = rows.find((r) => r.includes('QH200')) ?? '';
    assert.match(entry, /Unknown name/);
    assert.match(entry, /Jx/);
    assert.match(entry, /did you mean/);
    assert.match(entry, new RegExp(`\\[Ln ${jxLine}, Col \\d+\\]`), `entry without the position of line ${jxLine}: ${entry}`);
    await waitForProblems(page, /Errors: 1\b/);
    const label = await problemsLabel(page);
    assert.match(label, /^Errors: 1(,|$)/);
    assert.doesNotMatch(label, /Warnings: [1-9]/, `unexpected warnings: ${label}`);
    await shot(page, 'problems.png');
    log(`problems: ${entry.replace(/\s+/g, ' ')} / status: ${await problemsLabel(page)}`);

    // 9. Hover on a param name (keyboard: Ctrl+K Ctrl+I shows the hover at the cursor).
    await page.keyboard.press('Control+Shift+M'); // hide the panel again
    await page.locator('.monaco-editor textarea').first().focus();
    await goTo(page, deltaLine, deltaCol);
    const hoverText = await showHover(page, 'Delta');
    assert.match(hoverText, /\bparam\b/);
    assert.match(hoverText, /\bDelta\b/);
    assert.match(hoverText, /(^|[^0-9.])0\.5([^0-9]|$)/, `the hover does not show the value 0.5: ${hoverText}`);
    await shot(page, 'hover.png');
    log(`hover: ${hoverText.replace(/\s+/g, ' ')}`);
    await page.keyboard.press('Escape');

    // 10. "QHam: Restart Server" from the command palette; diagnostics come back from the new server.
    await page.evaluate(() => {
      const w = window;
      w.__qhamProblems = [];
      const el = document.querySelector('#status\\.problems');
      if (el) new MutationObserver(() => w.__qhamProblems.push(el.getAttribute('aria-label') ?? ''))
        .observe(el, { attributes: true, attributeFilter: ['aria-label'] });
    });
    await page.keyboard.press('Control+Shift+P');
    await quickInput.waitFor({ state: 'visible', timeout: STEP });
    await quickInput.fill('>QHam: Restart Server');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'QHam: Restart Server' }).first().waitFor({ timeout: STEP });
    await page.keyboard.press('Enter');
    await page.locator('#workbench\\.parts\\.statusbar', { hasText: 'QHam: language server restarted' }).waitFor({ timeout: STEP });
    await waitForProblems(page, /Errors: 1\b/);
    await squiggle.first().waitFor({ timeout: STEP });
    const seen = await page.evaluate(() => window.__qhamProblems as string[]);
    log(`restart: status bar went through ${JSON.stringify(seen)}`);
    // The restarted server is live: fixing the name clears the error, breaking it again brings it back.
    await goTo(page, jxLine, lines[jxLine - 1].indexOf('Jx') + 3); // just after `Jx`
    await page.keyboard.press('Backspace'); // Jx → J
    await waitForProblems(page, /^(No Problems|Errors: 0\b)/); // VS Code 1.100 says "No Problems"
    await squiggle.first().waitFor({ state: 'detached', timeout: STEP });
    await page.keyboard.type('x'); // J → Jx
    await waitForProblems(page, /Errors: 1\b/);
    await squiggle.first().waitFor({ timeout: STEP });
    log('restarted server answers edits');
  } catch (err) {
    if (page) await page.screenshot({ path: join(ARTIFACTS, 'failure.png') }).catch(() => {});
    console.error(`\n--- code-server log (tail) ---\n${tail(serverLog)}`);
    for (const f of findLogs(join(dirs['user-data'], 'logs'), /^(exthost|remoteexthost|.*QHam.*)\.log$/)) {
      console.error(`\n--- ${f.slice(root.length)} (tail) ---\n${tail(readFileSync(f, 'utf8'), 30)}`);
    }
    throw err;
  } finally {
    await context?.close().catch(() => {});
    context = undefined;
    await stopServer();
    removeScratch();
    log('cleaned up');
  }
});
