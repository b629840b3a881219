// The circuit view rendered in headless Chromium with hostile input: names, notes, errors and paths
// containing markup and a malicious SVG must show as text and run nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { renderHtml } from '../../client/src/circuit-view/html';
import { toSvg } from '../../server/src/export/svg';

const CHROMIUM = '/usr/bin/chromium';
const HOSTILE = '<script>window.__pwned++</script>"onload="window.__pwned++"<img src=x onerror="window.__pwned++">';

test('hostile names, notes, errors and SVG show as text and run nothing', { skip: !existsSync(CHROMIUM) && 'no Chromium' }, async () => {
  if (!existsSync('dist/webview.js')) assert.equal(spawnSync(process.execPath, ['scripts/build.mjs']).status, 0);
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'qham-webview-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    copyFileSync('dist/webview.js', join(dir, 'webview.js'));
    const nonce = 'TESTNONCE1234567890abc==';
    let html = renderHtml({ cspSource: 'file:', scriptUri: 'webview.js', nonce, title: HOSTILE });
    // A stand-in for VS Code's webview API, allowed by the page's own CSP through the nonce.
    html = html.replace('</head>', `<script nonce="${nonce}">window.__posted=[];window.__pwned=0;window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__posted.push(m),getState:()=>undefined,setState:()=>{}});</script></head>`);
    writeFileSync(join(dir, 'view.html'), html);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${join(dir, 'view.html')}`);
    await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);

    const evilSvg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="50" onload="window.__pwned++"><script>window.__pwned++</script><foreignObject width="100" height="20"><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="window.__pwned++"/></div></foreignObject><a xlink:href="javascript:window.__pwned++"><text y="20">click</text></a><rect width="10" height="10" onclick="window.__pwned++"/></svg>`;
    const realSvg = toSvg({ qubits: 2, gates: [{ name: 'h', qubits: [0], params: [] }, { name: 'cx', qubits: [0, 1], params: [] }] }, { title: HOSTILE });
    for (const svg of [evilSvg, realSvg]) {
      const status = { uri: 'file:///a.qham', block: HOSTILE, state: 'done', method: 'aqc', line: 0, goal: 0.9, qubits: 2, notes: [HOSTILE], error: HOSTILE, goalReached: false, numbers: { fidelity: 0.5, depth: 1, twoQubitDepth: 1, cxCount: 1, seconds: 1 } };
      await page.evaluate((m) => window.postMessage(m, '*'), { type: 'update', ref: { uri: status.uri, block: HOSTILE }, fileName: `${HOSTILE}.qham`, data: { status, svg, trace: [0.4, 0.5] } });
      await page.waitForTimeout(300);
      await page.click('#circuit rect', { force: true, timeout: 500 }).catch(() => undefined);
      await page.click('#circuit a', { force: true, timeout: 500 }).catch(() => undefined);
      const r = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned: number }).__pwned,
        body: document.body.innerText,
        scripts: document.querySelectorAll('#circuit script, #circuit foreignObject, #circuit [onload], #circuit [onclick]').length,
      }));
      assert.equal(r.pwned, 0, 'nothing from the file ran');
      assert.equal(r.scripts, 0, 'no script, foreignObject or handler survived in the drawing');
      assert.ok(r.body.includes('<script>window.__pwned++</script>'), 'the hostile block name shows as text');
    }
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
