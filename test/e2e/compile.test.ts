// End-to-end: compiling in a real VS Code (code-server 4.100.3 = VS Code 1.100.3, headless Chromium;
// launch code in ./harness.ts). With `qham.compileOnType: false` the test drives compilation as a
// user would: the `▶ Compile` code lens → the lens shows `F 0.… · 2q-depth …`; `Show circuit` → the
// circuit view webview draws the 10 qubit wires and the fidelity plot; the `evolve` hover shows the
// numbers and the monospace preview; an edit + Ctrl+S compiles the other block and writes the
// block's `output` file (OpenQASM 3 with the QHam header) into the workspace; the status bar says
// `QHam: 2 compiled`.
//
// Screenshots: test-artifacts/e2e/compile-lens.png, circuit-view.png, hover-compiled.png; with
// QHAM_UPDATE_SCREENSHOTS=1 also the README's docs/images/hover.png and docs/images/circuit-view.png.
// Run: node --import tsx --test test/e2e/compile.test.ts   (skipped by scripts/test.mjs if QHAM_SKIP_E2E)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { E2ESession, STEP, goTo, openFile, packageVsix, shot, showHover, sleep, unionRect } from './harness';

const FILE = 'chain.qham';
const OUTPUT = 'out/chain.qasm';
const COMPILE = 60_000; // a compile step: worker start-up + ~1 s of optimisation, with slack for a busy machine

// A small, fast program: 10 qubits, 2 AQC layers, ~12 optimiser iterations to the goal (< 1 s), and a
// Trotter block that compiles only on save.
const PROGRAM = `# XXZ chain with site-dependent fields, 10 qubits, from the Néel state.
qubits 10
param J = 1.0
param Delta = 0.5
param hz = [0.2, -0.1, 0.3, 0.0, -0.2, 0.1, 0.0, -0.3, 0.2, 0.1]

hamiltonian H {
  sum i in 0..n-2 { J * (X[i] X[i+1] + Y[i] Y[i+1] + Delta * Z[i] Z[i+1]) }
  sum i in 0..n-1 { hz[i] * Z[i] }
}

state psi0 = neel

evolve psi0 under H for 0.7 as chain {
  method   = aqc
  layers   = 2
  maxiter  = 100
  fidelity = 0.997
  output   = "${OUTPUT}"
}

evolve psi0 under H for 0.7 as baseline {
  method = trotter
  layers = 4
}
`;

// The callbacks given to page.evaluate run in the page (no named functions inside them: see harness.ts).
declare const document: any;

/** The code lens line (`.codelens-decoration`) right above the editor line containing `lineText`. */
async function lensAbove(page: Page, lineText: string): Promise<Locator> {
  const idx: number = await page.evaluate((lineText) => {
    const line = ([...document.querySelectorAll('.monaco-editor .view-lines .view-line')] as any[])
      .find((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(lineText));
    if (!line) return -1;
    const top = line.getBoundingClientRect().top;
    let best = -1;
    let bestTop = -Infinity;
    ([...document.querySelectorAll('.monaco-editor .codelens-decoration')] as any[]).forEach((d, i) => {
      const r = d.getBoundingClientRect();
      if (r.bottom <= top + 2 && r.top > bestTop) { best = i; bestTop = r.top; }
    });
    return best;
  }, lineText);
  assert.ok(idx >= 0, `no code lens above the line "${lineText}"`);
  return page.locator('.monaco-editor .codelens-decoration').nth(idx);
}

/** The QHam status bar item's text (codicons render as empty spans). */
function statusItem(page: Page): Locator {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /QHam/ }).first();
}

test('compiling in a real VS Code: code lens, circuit view, hover, on-save output', { timeout: 170_000 }, async (t) => {
  const lines = PROGRAM.split('\n');
  const chainHeader = 'evolve psi0 under H for 0.7 as chain';
  const baselineHeader = 'evolve psi0 under H for 0.7 as baseline';
  const chainLine = lines.indexOf(`${chainHeader} {`) + 1;
  assert.ok(chainLine > 0);

  // This test runs the extension as users get it: the packaged .vsix installed into code-server.
  const vsixDir = mkdtempSync(join(tmpdir(), 'qham-vsix-'));
  const vsix = packageVsix(vsixDir);
  const session = new E2ESession(t, {
    vsix,
    files: { [FILE]: PROGRAM },
    waitForFile: FILE,
    settings: { 'qham.compileOnType': false, 'qham.compileOnSave': true, 'editor.hover.above': false },
    artifacts: ['compile-lens.png', 'circuit-view.png', 'hover-compiled.png'],
    failureShot: 'compile-failure.png',
    viewport: { width: 1600, height: 1240 },
  });
  const log = (msg: string) => session.log(msg);
  try {
    const page = await session.start();
    await openFile(page, FILE, 'QHam');
    await page.keyboard.press('Control+B'); // hide the side bar: room for the code and the circuit view side by side
    await page.locator('#workbench\\.parts\\.sidebar').waitFor({ state: 'hidden', timeout: STEP });
    log('file open, language mode QHam');

    // 1. Nothing compiles by itself (compileOnType is off): both blocks offer `▶ Compile`.
    const compileLinks = page.locator('.monaco-editor .codelens-decoration a', { hasText: '▶ Compile' });
    await compileLinks.nth(1).waitFor({ timeout: STEP });
    await statusItem(page).filter({ hasText: 'QHam: 2 blocks' }).waitFor({ timeout: STEP });
    await sleep(1500); // longer than the 800 ms compile-on-type debounce: still nothing compiles
    assert.equal(await compileLinks.count(), 2, 'a block compiled although qham.compileOnType is false');
    log('two `▶ Compile` lenses, status "QHam: 2 blocks"');

    // 2. Click the chain block's `▶ Compile`; its lens turns into the result.
    const chainLens = await lensAbove(page, chainHeader);
    await chainLens.locator('a', { hasText: '▶ Compile' }).click();
    const resultLens = page.locator('.monaco-editor .codelens-decoration', { hasText: /F 0\.\d{4} · 2q-depth/ });
    await resultLens.first().waitFor({ timeout: COMPILE });
    const chainResult = await lensAbove(page, chainHeader);
    const lensText = (await chainResult.innerText()).replace(/\s+/g, ' ').trim();
    assert.match(lensText, /F 0\.99\d\d · 2q-depth \d+ \(Trotter \d+\) · \d+\.\d s/, `the chain lens: ${lensText}`);
    assert.match(lensText, /Show circuit/);
    assert.match(lensText, /Export/);
    assert.equal(await chainResult.locator('.codicon-warning').count(), 0, `goal missed: ${lensText}`);
    const baselineLens = (await (await lensAbove(page, baselineHeader)).innerText()).replace(/\s+/g, ' ');
    assert.match(baselineLens, /▶ Compile/, `the baseline block compiled too: ${baselineLens}`);
    await statusItem(page).filter({ hasText: 'QHam: 1 compiled of 2' }).waitFor({ timeout: STEP });
    await shot(page, 'compile-lens.png');
    log(`compiled: lens "${lensText}", status "${(await statusItem(page).innerText()).trim()}"`);

    // 3. Show circuit → the circuit view beside the editor (a webview: two nested iframes).
    await (await lensAbove(page, chainHeader)).locator('a', { hasText: 'Show circuit' }).click();
    await page.locator('.tabs-container .tab', { hasText: 'Circuit: chain' }).waitFor({ timeout: STEP });
    const view: FrameLocator = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await view.locator('#circuit > svg').waitFor({ timeout: STEP });
    await view.locator('#state', { hasText: 'compiled' }).waitFor({ timeout: STEP });
    const wireLabels = (await view.locator('#circuit > svg text').allTextContents()).map((s) => s.trim()).filter((s) => /^q\d+$/.test(s));
    assert.deepEqual(wireLabels.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))),
      Array.from({ length: 10 }, (_, q) => `q${q}`), `qubit wire labels: ${JSON.stringify(wireLabels)}`);
    const gates = await view.locator('#circuit > svg rect').count();
    assert.ok(gates > 10, `only ${gates} rects in the drawing`);
    assert.match(await view.locator('#circuit-title').innerText(), /10 qubits, [\d,]+ gates/);
    // The fidelity plot: a path through one point per iteration (plus the start).
    await view.locator('#plot-section').waitFor({ state: 'visible', timeout: STEP });
    const curve = view.locator('#plot svg path.line');
    await curve.waitFor({ timeout: STEP });
    const d = (await curve.getAttribute('d')) ?? '';
    const points = (d.match(/[ML]/g) ?? []).length;
    assert.ok(points >= 3, `the fidelity curve has ${points} points: ${d}`);
    const box = await curve.boundingBox();
    assert.ok(box && box.width > 50, `the fidelity curve is not drawn: ${JSON.stringify(box)}`);
    const plotLabel = await view.locator('#plot svg').innerHTML();
    assert.match(plotLabel, /F 0\.99\d+ after \d+ iterations?/);
    // Let the panel settle (fonts, zoom) before the picture; the mouse off the lens it clicked.
    const editorBox = await unionRect(page, ['.part.editor']);
    if (editorBox) await page.mouse.move(editorBox.x + 200, editorBox.y + editorBox.height - 40);
    await sleep(300);
    const viewBox = await unionRect(page, ['iframe.webview.ready']);
    await shot(page, 'circuit-view.png', { name: 'circuit-view.png', clip: await unionRect(page, ['.part.editor']) });
    log(`circuit view: ${wireLabels.length} wires, ${gates} rects, plot with ${points} points, panel ${JSON.stringify(viewBox)}`);

    // 4. The hover on `evolve`: the compile numbers and the monospace preview (q0 …).
    await page.locator('.monaco-editor textarea').first().focus();
    await goTo(page, chainLine, 3); // inside `evolve`
    const hoverText = await showHover(page, 'Status: compiled');
    assert.match(hoverText, /evolve/);
    assert.match(hoverText, /chain/);
    assert.match(hoverText, /fidelity/);
    assert.match(hoverText, /2q depth/);
    assert.match(hoverText, /0\.99\d{4}/, `no 6-digit fidelity in the hover: ${hoverText}`);
    assert.match(hoverText, /Trotter: same 2q depth/);
    assert.match(hoverText, /^q0 ─[─●⊕│×A-Za-z0-9†√ …]+$/m, `no preview line starting with q0: ${hoverText}`);
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Status: compiled' }).first();
    // The innermost element holding the preview's first row, and its font.
    const preview: { tag: string; cls: string; font: string } | null = await hover.evaluate((root: any) => {
      let best: any = null;
      for (const el of root.querySelectorAll('*') as any[]) {
        if ((el.textContent ?? '').includes('q0 ─') && (!best || best.contains(el))) best = el;
      }
      if (!best) return null;
      // The block around the row (VS Code 1.100: a span per token in a div.monaco-tokenized-source).
      while (best.parentElement && best !== root && !/^(CODE|PRE)$/.test(best.tagName) && !best.classList.contains('monaco-tokenized-source')) best = best.parentElement;
      best.scrollIntoView({ block: 'nearest' }); // in view even if the hover cannot be enlarged below
      return { tag: best.tagName, cls: String(best.className), font: (globalThis as any).getComputedStyle(best).fontFamily as string };
    });
    assert.ok(preview, 'no element with the preview row in the hover');
    assert.match(preview.font, /mono|courier|consol|menlo/i, `the preview is not monospace: ${JSON.stringify(preview)}`);
    // The hover is capped at a few hundred pixels and scrolls; for the picture, drag its free
    // (lower) edge down so all of it shows, as a user can. Cosmetic: the assertions above stand anyway.
    const sash = page.locator('.monaco-resizable-hover .monaco-sash.horizontal:not(.disabled)').first();
    const sashBox = await sash.boundingBox({ timeout: 2000 }).catch(() => null);
    if (sashBox) {
      const x = sashBox.x + sashBox.width / 2, y = sashBox.y + sashBox.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x, y + 200, { steps: 5 });
      await page.mouse.move(x, y + 450, { steps: 5 });
      await page.mouse.up();
      await sleep(200);
    }
    await hover.waitFor({ timeout: STEP }); // still shown
    const hoverClip = await unionRect(page, ['.monaco-hover:not(.hidden)'], 40);
    const editorPart = await unionRect(page, ['.part.editor']);
    await shot(page, 'hover-compiled.png', {
      name: 'hover.png',
      clip: hoverClip && editorPart && {
        x: editorPart.x, y: Math.max(editorPart.y, hoverClip.y - 60),
        width: Math.max(hoverClip.x + hoverClip.width, editorPart.x + 700) - editorPart.x,
        height: Math.min(editorPart.y + editorPart.height, hoverClip.y + hoverClip.height) - Math.max(editorPart.y, hoverClip.y - 60),
      },
    });
    log(`hover: ${hoverText.split('\n').filter((l) => /^q0 |fidelity|Status/.test(l)).join(' / ')}`);
    await page.keyboard.press('Escape');

    // 5. A trivial edit (a comment) + Ctrl+S: the baseline compiles, the chain's `output` is written.
    const outPath = join(session.workspace, OUTPUT);
    assert.ok(!existsSync(outPath), `${OUTPUT} exists before the save`);
    await goTo(page, 1, 1);
    await page.keyboard.press('End');
    await page.keyboard.type(' Saved once.');
    await page.locator(`.tabs-container .tab.dirty[data-resource-name="${FILE}"]`).waitFor({ timeout: STEP });
    await page.keyboard.press('Control+S');
    await page.locator(`.tabs-container .tab[data-resource-name="${FILE}"]:not(.dirty)`).waitFor({ timeout: STEP });
    const deadline = Date.now() + COMPILE;
    while (!existsSync(outPath) && Date.now() < deadline) await sleep(100);
    assert.ok(existsSync(outPath), `${OUTPUT} was not written after the save`);
    await sleep(200); // written atomically (rename), but be gentle
    const qasm = readFileSync(outPath, 'utf8');
    assert.ok(qasm.startsWith('// Generated by QHam'), `${OUTPUT} starts with: ${qasm.slice(0, 80)}`);
    assert.match(qasm, /^OPENQASM 3\.0;$/m);
    assert.match(qasm, /qubit\[10\]/);
    await statusItem(page).filter({ hasText: 'QHam: 2 compiled' }).waitFor({ timeout: COMPILE });
    const statusText = (await statusItem(page).innerText()).trim();
    assert.match(statusText, /^QHam: 2 compiled$/);
    await page.locator('.monaco-editor .codelens-decoration', { hasText: /F 0\.\d{4} · 2q-depth/ }).nth(1).waitFor({ timeout: STEP });
    const baselineDone = (await (await lensAbove(page, baselineHeader)).innerText()).replace(/\s+/g, ' ').trim();
    assert.match(baselineDone, /F 0\.99\d\d · 2q-depth \d+ · \d+\.\d s/, `the baseline lens: ${baselineDone}`);
    log(`saved: ${OUTPUT} (${qasm.length} chars), status "${statusText}", baseline lens "${baselineDone}"`);
  } catch (err) {
    await session.reportFailure(err);
    throw err;
  } finally {
    await session.close();
    rmSync(vsixDir, { recursive: true, force: true });
  }
});
