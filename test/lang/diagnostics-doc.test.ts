// docs/diagnostics.md must not drift from the implementation: one section per code in CODES, and
// each section's ```qham example, analysed, produces that code and the output the section shows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { formatDiagnostic } from '../../server/src/cli/format';
import { analyze } from '../../server/src/lang/analyze';
import { CODES } from '../../server/src/lang/diagnostics';
import { LineIndex } from '../../server/src/model/span';

const DOC_PATH = resolve(__dirname, '..', '..', 'docs', 'diagnostics.md');
/** The file name the documented outputs use, as in `qham check example.qham`. */
const EXAMPLE_FILE = 'example.qham';

interface Fence {
  /** Words after the opening backticks, e.g. ['qham', 'no-test']. */
  info: string[];
  body: string;
  /** 1-based line of the opening fence in the doc, for messages. */
  line: number;
}

interface Section {
  code: string;
  title: string;
  line: number;
  /** The non-blank line just above the heading (the explicit anchor). */
  lineAbove: string;
  text: string;
  fences: Fence[];
}

function parseDoc(md: string): Section[] {
  const lines = md.split(/\r?\n/);
  const sections: Section[] = [];
  let current: Section | undefined;
  let fence: Fence | undefined;
  let fenceLines: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      if (/^```\s*$/.test(line)) {
        fence.body = fenceLines.join('\n') + '\n';
        current?.fences.push(fence);
        fence = undefined;
      } else {
        fenceLines.push(line);
      }
      continue;
    }
    const open = /^```(.*)$/.exec(line);
    if (open) {
      fence = { info: open[1].trim().split(/\s+/).filter(Boolean), body: '', line: i + 1 };
      fenceLines = [];
      continue;
    }
    if (line.startsWith('## ')) {
      current = undefined;
      const h = /^## (QH\d{3}) — (\S.*)$/.exec(line);
      if (h) {
        let j = i - 1;
        while (j >= 0 && lines[j].trim() === '') j--;
        current = { code: h[1], title: h[2], line: i + 1, lineAbove: j >= 0 ? lines[j].trim() : '', text: '', fences: [] };
        sections.push(current);
      } else {
        assert.doesNotMatch(line, /QH\d{3}/, `line ${i + 1}: a code heading must read "## QHnnn — Title"`);
      }
      continue;
    }
    if (current) current.text += line + '\n';
  }
  assert.equal(fence, undefined, 'docs/diagnostics.md has an unclosed ``` fence');
  return sections;
}

const sections = parseDoc(readFileSync(DOC_PATH, 'utf8'));
const codes: string[] = Object.values(CODES);

test('docs/diagnostics.md has exactly one section per code in CODES', () => {
  const documented = sections.map((s) => s.code);
  const dupes = documented.filter((c, i) => documented.indexOf(c) !== i);
  assert.deepEqual(dupes, [], 'codes documented twice');
  const missing = codes.filter((c) => !documented.includes(c));
  assert.deepEqual(missing, [], 'codes in CODES without a `## QHnnn — Title` section');
  const unknown = documented.filter((c) => !codes.includes(c));
  assert.deepEqual(unknown, [], 'sections for codes that CODES does not have');
});

test('the sections are in code order', () => {
  const documented = sections.map((s) => s.code);
  assert.deepEqual(documented, [...documented].sort());
});

for (const s of sections) {
  test(`${s.code} — ${s.title}: its example produces ${s.code} with the documented output`, () => {
    // The server links to docs/diagnostics.md#qhnnn: the explicit anchor makes that fragment work.
    assert.equal(s.lineAbove, `<a id="${s.code.toLowerCase()}"></a>`, `line ${s.line}: put <a id="${s.code.toLowerCase()}"></a> above the heading`);

    const severity = /^\*\*Severity:\*\* (error|warning|info|hint)\b/m.exec(s.text)?.[1];
    assert.ok(severity, `${s.code}: missing a "**Severity:** …" line`);

    const examples = s.fences.filter((f) => f.info[0] === 'qham');
    assert.equal(examples.length, 1, `${s.code}: expected exactly one \`\`\`qham example`);
    const example = examples[0];
    assert.ok(/\*\*Fix:\*\*/.test(s.text), `${s.code}: missing a "**Fix:**" paragraph`);
    const outputs = s.fences.filter((f) => f.info[0] === 'text');
    assert.equal(outputs.length, 1, `${s.code}: expected exactly one \`\`\`text block with the output`);
    const expectedLines = outputs[0].body.split('\n').filter((l) => l.trim() !== '');
    assert.ok(expectedLines.length > 0, `${s.code}: the output block is empty`);
    for (const l of expectedLines) {
      assert.ok(l.includes(` ${severity} ${s.code}: `), `${s.code}: output line does not show "${severity} ${s.code}": ${l}`);
    }

    if (example.info.includes('no-test')) return;

    const a = analyze(example.body);
    const index = new LineIndex(example.body);
    const got = a.diagnostics.map((d) => formatDiagnostic(EXAMPLE_FILE, index, d));
    const report = `\nexample (docs/diagnostics.md line ${example.line}) gives:\n${got.join('\n') || '(nothing)'}`;

    const own = a.diagnostics.filter((d) => d.code === s.code);
    assert.ok(own.length > 0, `${s.code}: the example does not produce ${s.code}${report}`);
    assert.ok(own.every((d) => d.severity === severity), `${s.code}: documented as ${severity}${report}`);
    // "Exactly that code": no other errors or warnings (unused-name hints are allowed).
    const others = a.diagnostics.filter((d) => d.code !== s.code && d.severity !== 'hint');
    assert.deepEqual(others.map((d) => d.code), [], `${s.code}: the example also produces other diagnostics${report}`);
    for (const l of expectedLines) {
      assert.ok(got.includes(l), `${s.code}: documented output is not what the checker prints:\n${l}${report}`);
    }
  });
}
