// End-to-end: the extension in a real VS Code (code-server 4.100.3 = VS Code 1.100.3), driven by
// headless Debian Chromium through playwright-core. It checks what a user sees: the squiggle under
// an undefined name, the Problems entry (QH200), the status bar count, a hover with a param's value,
// TextMate highlighting, and that "QHam: Restart Server" brings diagnostics back.
//
// Needs: scripts/setup-code-server.sh (installs code-server into .cache/code-server/; needs the apt
// packages it names) and /usr/bin/chromium. Screenshots go to test-artifacts/e2e/ (and, with
// QHAM_UPDATE_SCREENSHOTS=1, the README's docs/images/squiggle.png). Launch code: ./harness.ts.
// Run: node --import tsx --test test/e2e/vscode.test.ts   (skipped by scripts/test.mjs if QHAM_SKIP_E2E)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  E2ESession, ROOT, STEP, goTo, openFile, problemsLabel, shot, showHover, unionRect, waitForProblems,
} from './harness';
import type { Page } from 'playwright-core';

const EXAMPLE = 'xxz-20.qham';

// The callbacks given to page.evaluate run in the page. These names are declared here, for this
// module only. (And no named functions inside those callbacks: tsx's keepNames would wrap them in a
// `__name` helper that does not exist in the page.)
declare const document: any;
declare const window: any;
declare const NodeFilter: any;
declare const MutationObserver: any;
declare function getComputedStyle(el: any): { color: string };

type Tok = { text: string; cls: string; color: string };

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
  // The example with a deliberate error: `J * (X[i]…` → `Jx * (X[i]…` (QH200, did you mean `J`).
  const original = readFileSync(join(ROOT, 'examples', EXAMPLE), 'utf8');
  const broken = original.replace('{ J * (X[i]', '{ Jx * (X[i]');
  assert.notEqual(broken, original, `examples/${EXAMPLE} no longer has "{ J * (X[i]"`);
  const lines = broken.split('\n');
  const jxLine = lines.findIndex((l) => l.includes('Jx * (X[i]')) + 1;
  const deltaLine = lines.findIndex((l) => /^param Delta = 0\.5\b/.test(l)) + 1;
  assert.ok(deltaLine > 0, `examples/${EXAMPLE} has no "param Delta = 0.5" line`);
  const deltaCol = lines[deltaLine - 1].indexOf('Delta') + 3; // 1-based, inside the name

  // Scratch folders (HOME, XDG dirs, VS Code's user data and extensions, the workspace, the browser),
  // code-server and Chromium: test/e2e/harness.ts.
  const session = new E2ESession(t, {
    files: { [EXAMPLE]: broken },
    waitForFile: EXAMPLE,
    artifacts: ['squiggle.png', 'problems.png', 'hover.png'],
    failureShot: 'failure.png',
  });
  const log = (msg: string) => session.log(msg);
  try {
    // 1–4. Build if needed, code-server, Chromium, the workbench with the extension loaded.
    const page = await session.start();

    // 5. Open the file with Quick Open, as a user would.
    await openFile(page, EXAMPLE, 'QHam');
    const quickInput = page.locator('.quick-input-widget input');
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
    await goTo(page, jxLine, lines[jxLine - 1].indexOf('Jx') + 3); // at the end of the name (the cursor hides less of the squiggle)
    const errorHover = await showHover(page, 'Unknown name');
    assert.match(errorHover, /Unknown name `?Jx`?; did you mean `?J`?\?/);
    // For the README: the editor around the error line, with its hover.
    const editorBox = await unionRect(page, ['.part.editor']);
    const squiggleClip = editorBox && { x: editorBox.x, y: editorBox.y, width: Math.min(editorBox.width, 820), height: Math.min(editorBox.height, 340) };
    await shot(page, 'squiggle.png', { name: 'squiggle.png', clip: squiggleClip });
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
    await session.reportFailure(err);
    throw err;
  } finally {
    await session.close();
  }
});
