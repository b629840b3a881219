// Shared launch code of the end-to-end tests (test/e2e/*.test.ts): the extension in a real VS Code
// (code-server 4.100.3 = VS Code 1.100.3), driven by headless Debian Chromium through playwright-core.
//
//   const s = new E2ESession(t, { files: { 'a.qham': text }, waitForFile: 'a.qham' });
//   try { await s.start(); …s.page… } catch (err) { await s.reportFailure(err); throw err; }
//   finally { await s.close(); }
//
// start() builds the extension if dist/ is missing, installs code-server if needed
// (scripts/setup-code-server.sh), starts it on a free loopback port in its own process group with
// HOME/XDG/user data in a fresh scratch folder, opens the workbench in Chromium with the extension
// loaded from this repository, and waits until the explorer lists the workspace. close() stops the
// browser, kills code-server's whole process group (extension host, language server, workers) and
// deletes the scratch folder. Screenshots go to test-artifacts/e2e/; with QHAM_UPDATE_SCREENSHOTS=1,
// the ones meant for the README also go to docs/images/.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
export const DOCS_IMAGES = join(ROOT, 'docs', 'images');
export const UPDATE_SCREENSHOTS = process.env.QHAM_UPDATE_SCREENSHOTS === '1';
const CHROMIUM = process.env.QHAM_CHROMIUM ?? '/usr/bin/chromium';
export const STEP = 30_000; // the longest any single UI step may take

// The callbacks given to page.evaluate run in the page. (No named functions inside those callbacks:
// tsx's keepNames would wrap them in a `__name` helper that does not exist in the page.)
declare const document: any;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

export function freePort(): Promise<number> {
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

/** Every file under dir whose name matches, newest last (VS Code's own logs, for failure reports). */
export function findLogs(dir: string, re: RegExp): string[] {
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

/** The user settings every session starts with (a session may add or override some). */
export const BASE_SETTINGS: Record<string, unknown> = {
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
};

// ---------------------------------------------------------------------------------------------
// Process bookkeeping. code-server runs in its own session/process group (spawn's `detached` is
// setsid()), so `kill -- -PID` takes its helpers (extension host, language server, pty host) too.
// The exit/signal hooks are the last resort if the test process dies without reaching `finally`
// (the browser is cleaned up by playwright's own exit hooks).

const live = new Set<E2ESession>();
process.on('exit', () => { for (const s of live) s.killNow(); });
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { for (const s of live) s.killNow(); process.exit(130); });
}

export interface SessionOptions {
  /** Workspace files: relative path → content. */
  files: Record<string, string>;
  /** A file the explorer must list before start() returns. */
  waitForFile: string;
  /** User settings added to (or overriding) BASE_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Artifact file names removed at start (stale screenshots of an earlier run). */
  artifacts?: string[];
  /** Name of the screenshot taken by reportFailure(). */
  failureShot?: string;
  viewport?: { width: number; height: number };
  /** Install this packaged .vsix into code-server instead of loading the extension from the repository. */
  vsix?: string;
}

export type Dirs = Record<'home' | 'config' | 'data' | 'cache' | 'user-data' | 'extensions' | 'workspace' | 'browser', string>;

export class E2ESession {
  readonly t0 = Date.now();
  readonly root: string; // HOME, XDG dirs, user data, workspace, browser profile
  readonly dirs: Dirs;
  private server: ChildProcess | undefined;
  private serverLog = '';
  private context: BrowserContext | undefined;
  private page_: Page | undefined;
  private removed = false;

  constructor(private readonly t: TestContext, private readonly o: SessionOptions) {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const f of [...(o.artifacts ?? []), o.failureShot ?? 'failure.png']) rmSync(join(ARTIFACTS, f), { force: true });
    this.root = mkdtempSync(join(tmpdir(), 'qham-e2e-'));
    live.add(this);
    this.dirs = Object.fromEntries((['home', 'config', 'data', 'cache', 'user-data', 'extensions', 'workspace', 'browser'] as const)
      .map((d) => { const p = join(this.root, d); mkdirSync(p, { recursive: true }); return [d, p]; })) as Dirs;
    mkdirSync(join(this.dirs['user-data'], 'User'), { recursive: true });
    writeFileSync(join(this.dirs['user-data'], 'User', 'settings.json'),
      JSON.stringify({ ...BASE_SETTINGS, ...(o.settings ?? {}) }, null, 2));
    for (const [rel, text] of Object.entries(o.files)) {
      const p = join(this.dirs.workspace, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
    }
  }

  get workspace(): string { return this.dirs.workspace; }

  get page(): Page {
    assert.ok(this.page_, 'the session has not started');
    return this.page_;
  }

  log(msg: string): void {
    this.t.diagnostic(`${((Date.now() - this.t0) / 1000).toFixed(1)}s ${msg}`);
  }

  /** Build (if needed) → code-server → Chromium → the workbench with the workspace listed. */
  async start(): Promise<Page> {
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
    this.log('code-server installed');

    // 2. code-server on a free loopback port, in its own process group.
    const { dirs } = this;
    const csEnv = { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, XDG_CACHE_HOME: dirs.cache };
    if (this.o.vsix) {
      const inst = spawnSync(process.execPath, [codeServer, '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions, '--install-extension', this.o.vsix], {
        cwd: dirs.workspace, encoding: 'utf8', timeout: 120_000, env: csEnv,
      });
      assert.equal(inst.status, 0, `installing ${this.o.vsix} failed:\n${tail(inst.stdout ?? '')}\n${tail(inst.stderr ?? '')}`);
      this.log(`installed ${this.o.vsix}`);
    }
    const port = await freePort();
    const server = spawn(process.execPath, [
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
    this.server = server;
    const append = (b: Buffer) => { this.serverLog = (this.serverLog + b.toString()).slice(-200_000); };
    server.stdout!.on('data', append);
    server.stderr!.on('data', append);
    await this.waitForHealthz(port, 20_000);
    this.log(`code-server up on port ${port}`);

    // 3. Chromium → the workbench, with the extension loaded from this repository.
    this.context = await chromium.launchPersistentContext(dirs.browser, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: this.o.viewport ?? { width: 1400, height: 900 },
      env: { ...process.env, HOME: dirs.home },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = this.context.pages()[0] ?? await this.context.newPage();
    this.page_ = page;
    // The installed .vsix, or the extension loaded from this repository.
    const payload = this.o.vsix ? '' : `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ROOT}`]]))}`;
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}${payload}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: STEP });
    await page.locator('#status\\.problems').waitFor({ timeout: STEP });
    // The explorer lists the workspace: the remote file system is ready.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: this.o.waitForFile }).waitFor({ timeout: STEP });
    this.log('workbench ready');
    return page;
  }

  private async waitForHealthz(port: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.server && this.server.exitCode !== null) throw new Error(`code-server exited with ${this.server.exitCode}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (r.ok) return;
      } catch { /* not up yet */ }
      if (Date.now() > deadline) throw new Error(`code-server not healthy on port ${port} after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** A failure screenshot, code-server's log and VS Code's extension-host / QHam logs on stderr. */
  async reportFailure(err: unknown): Promise<void> {
    void err;
    if (this.page_) await this.page_.screenshot({ path: join(ARTIFACTS, this.o.failureShot ?? 'failure.png') }).catch(() => {});
    console.error(`\n--- code-server log (tail) ---\n${tail(this.serverLog)}`);
    for (const f of findLogs(join(this.dirs['user-data'], 'logs'), /^(exthost|remoteexthost|.*QHam.*)\.log$/)) {
      console.error(`\n--- ${f.slice(this.root.length)} (tail) ---\n${tail(readFileSync(f, 'utf8'), 30)}`);
    }
  }

  /** Kills code-server's process group at once (exit hooks). */
  killNow(): void {
    this.killServerGroup('SIGKILL');
    this.removeScratch();
  }

  private killServerGroup(signal: NodeJS.Signals): void {
    const pid = this.server?.pid;
    if (pid === undefined) return;
    try { process.kill(-pid, signal); } catch { /* already gone */ }
  }

  private async stopServer(): Promise<void> {
    const s = this.server;
    if (s?.pid === undefined) return;
    const exited = s.exitCode !== null || s.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => s.once('exit', () => r()));
    this.killServerGroup('SIGTERM');
    const timer = setTimeout(() => this.killServerGroup('SIGKILL'), 3000);
    await Promise.race([exited, sleep(5000)]);
    clearTimeout(timer);
    this.killServerGroup('SIGKILL'); // stragglers of the group (the leader may exit first)
    this.server = undefined;
  }

  private removeScratch(): void {
    if (this.removed) return;
    this.removed = true;
    rmSync(this.root, { recursive: true, force: true, maxRetries: 3 });
  }

  /** Browser, code-server's process group, scratch folder: all gone. */
  async close(): Promise<void> {
    await this.context?.close().catch(() => {});
    this.context = undefined;
    this.page_ = undefined;
    await this.stopServer();
    this.removeScratch();
    live.delete(this);
    this.log('cleaned up');
  }
}

// ---------------------------------------------------------------------------------------------
// UI helpers.

export type Rect = { x: number; y: number; width: number; height: number };

/**
 * A screenshot of what the user sees, to test-artifacts/e2e/<name>; with QHAM_UPDATE_SCREENSHOTS=1
 * and `docs` given, also to docs/images/<docs.name>, cropped to `docs.clip` when given.
 */
export async function shot(page: Page, name: string, docs?: { name: string; clip?: Rect }): Promise<void> {
  // animations: 'disabled' finishes fade-ins (a hover would otherwise be caught half transparent).
  await page.screenshot({ path: join(ARTIFACTS, name), animations: 'disabled' });
  if (docs && UPDATE_SCREENSHOTS) {
    mkdirSync(DOCS_IMAGES, { recursive: true });
    await page.screenshot({ path: join(DOCS_IMAGES, docs.name), animations: 'disabled', clip: docs.clip });
  }
}

/** The union of the boxes of the elements matching each selector (those present), padded and kept inside the viewport. */
export async function unionRect(page: Page, selectors: string[], pad = 0): Promise<Rect | undefined> {
  const vp = page.viewportSize() ?? { width: 1400, height: 900 };
  const boxes: Rect[] = [];
  for (const sel of selectors) {
    const loc = page.locator(sel);
    for (let i = 0; i < await loc.count(); i++) {
      const b = await loc.nth(i).boundingBox();
      if (b && b.width > 0 && b.height > 0) boxes.push(b);
    }
  }
  if (boxes.length === 0) return undefined;
  const x0 = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
  const y0 = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
  const x1 = Math.min(vp.width, Math.max(...boxes.map((b) => b.x + b.width)) + pad);
  const y1 = Math.min(vp.height, Math.max(...boxes.map((b) => b.y + b.height)) + pad);
  return { x: Math.floor(x0), y: Math.floor(y0), width: Math.ceil(x1 - x0), height: Math.ceil(y1 - y0) };
}

/** Quick Open (Ctrl+P) → the file → Enter; waits for its tab, and its language mode when given. */
export async function openFile(page: Page, file: string, mode?: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
  await page.keyboard.press('Control+P');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor({ state: 'visible', timeout: STEP });
  await quickInput.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor({ timeout: STEP });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab[data-resource-name="${file}"]`).waitFor({ timeout: STEP });
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: STEP });
  if (mode) await page.locator('#status\\.editor\\.mode', { hasText: mode }).waitFor({ timeout: STEP });
}

/** Runs a command from the command palette (Ctrl+Shift+P) by its full title, e.g. "QHam: Show Circuit". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor({ state: 'visible', timeout: STEP });
  await quickInput.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: STEP });
  await page.keyboard.press('Enter');
}

/** Ctrl+G → "line:col" → Enter; 1-based, like the Go to Line box. */
export async function goTo(page: Page, line: number, col: number): Promise<void> {
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
export async function showHover(page: Page, text: string): Promise<string> {
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

export async function problemsLabel(page: Page): Promise<string> {
  return (await page.locator('#status\\.problems').getAttribute('aria-label')) ?? '';
}

export async function waitForProblems(page: Page, re: RegExp): Promise<void> {
  await page.waitForFunction(
    (src) => new RegExp(src).test(document.querySelector('#status\\.problems')?.getAttribute('aria-label') ?? ''),
    re.source, { timeout: STEP },
  );
}

/** Packages the extension as a .vsix (production bundles) into `dir`; returns its path. */
export function packageVsix(dir: string): string {
  const b = spawnSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 });
  assert.equal(b.status, 0, 'production build failed');
  const out = join(dir, 'qham.vsix');
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const p = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(p.status, 0, `vsce package failed:\n${tail(p.stdout ?? '')}\n${tail(p.stderr ?? '')}`);
  // Later tests load the repository's dist/: give them the development bundles back.
  assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 }).status, 0);
  return out;
}
