// SVG export: well-formed XML, labelled wires, escaped user text, truncation of huge circuits, speed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Circuit, type Gate, gate } from '../../server/src/engine/circuit/gates';
import { mergeSingleQubitGates } from '../../server/src/engine/circuit/merge';
import { trotterCircuit } from '../../server/src/engine/trotter/circuits';
import { shortAngle, toSvg } from '../../server/src/export/svg';
import { analyze } from '../../server/src/lang/analyze';
import { rng } from '../helpers/random';

/**
 * A tiny XML well-formedness check: the whole text is comments, tags with quoted attributes, and text
 * without raw `<` or stray `&`; tags balance and there is one root element.
 */
function checkXml(xml: string): { tags: Map<string, number> } {
  const re = /<!--(?:(?!--)[\s\S])*-->|<([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos|#\d+);[^"<&]*)*")*)\s*(\/?)>|<\/([A-Za-z][\w:-]*)\s*>|[^<]+/gy;
  const stack: string[] = [];
  const tags = new Map<string, number>();
  let roots = 0;
  let m: RegExpExecArray | null;
  while (re.lastIndex < xml.length && (m = re.exec(xml))) {
    const [all, open, , selfClose, close] = m;
    if (open) {
      tags.set(open, (tags.get(open) ?? 0) + 1);
      if (stack.length === 0) roots++;
      if (!selfClose) stack.push(open);
    } else if (close) {
      assert.equal(stack.pop(), close, `closing </${close}> does not match`);
    } else if (!all.startsWith('<!--')) {
      if (stack.length === 0) assert.match(all, /^\s*$/, 'text outside the root element');
      assert.ok(!/&(?!(?:amp|lt|gt|quot|apos|#\d+);)/.test(all), `stray & in ${JSON.stringify(all.slice(0, 80))}`);
    }
  }
  assert.equal(re.lastIndex, xml.length, `not well-formed near ${JSON.stringify(xml.slice(re.lastIndex, re.lastIndex + 80))}`);
  assert.deepEqual(stack, [], 'unclosed tags');
  assert.equal(roots, 1, 'one root element');
  return { tags };
}

const SRC = 'qubits 6\nhamiltonian H {\n  sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + 0.5 * Z[i] Z[i+1] }\n  X[0] Z[3] Y[5]\n}\nstate s = neel\n';

function trotter(): Circuit {
  const a = analyze(SRC);
  return trotterCircuit(a.program.hamiltonians.get('H')!.sum, a.program.states.get('s')!, 1, { steps: 2, order: 2 });
}

function random(n: number, count: number, seed: number): Circuit {
  const r = rng(seed);
  const names = ['h', 'rz', 'U', 'sx', 'cx', 'cz', 'swap', 'cy', 'p'] as const;
  const gates: Gate[] = [];
  for (let k = 0; k < count; k++) {
    const name = names[Math.floor(r.next() * names.length)];
    const a = Math.floor(r.next() * n);
    if (['cx', 'cz', 'swap', 'cy'].includes(name)) {
      let b = Math.floor(r.next() * n);
      if (b === a) b = (a + 1) % n;
      gates.push(gate(name, [a, b]));
    } else {
      gates.push(gate(name, [a], name === 'U' ? [r.next(), r.next(), r.next()] : name === 'h' || name === 'sx' ? [] : [r.next() * 6 - 3]));
    }
  }
  return { qubits: n, gates };
}

test('well-formed, one labelled wire per qubit, viewBox and size set, gates drawn with their symbols', () => {
  const c = trotter();
  const svg = toSvg(c, { title: 'xxz · block b' });
  const { tags } = checkXml(svg);
  for (let q = 0; q < c.qubits; q++) assert.ok(svg.includes(`>q${q}</text>`), `q${q}`);
  assert.ok(!svg.includes(`>q${c.qubits}</text>`));
  assert.match(svg, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
  assert.match(svg, /font-family="[^"]*monospace"/);
  assert.ok((tags.get('circle') ?? 0) >= 2 * c.gates.filter((g) => g.name === 'cx').length, 'control dot + ⊕ per cx');
  assert.ok(svg.includes('>rz π/2</text>') || svg.includes('>rz -π/2</text>') || /rz -?\d/.test(svg));
  const merged = toSvg(mergeSingleQubitGates(c));
  assert.ok(merged.includes('>U</text>'));
  checkXml(merged);
  checkXml(toSvg(random(5, 200, 1), { theme: 'dark' }));
  checkXml(toSvg({ qubits: 1, gates: [] }));
});

test('the columns follow ASAP layering: parallel gates share a column', () => {
  const c: Circuit = { qubits: 3, gates: [gate('h', [0]), gate('h', [1]), gate('h', [2]), gate('cx', [0, 2]), gate('x', [1])] };
  const svg = toSvg(c);
  const xs = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="middle"[^>]*>(h|x)</g)].map((m) => [m[2], Number(m[1])] as const);
  const hx = xs.filter(([n]) => n === 'h').map(([, x]) => x);
  assert.equal(new Set(hx).size, 1, 'three h gates in one column');
  // cx on (0, 2) crosses wire 1, so the x on qubit 1 must go after it, in a third column.
  const x1 = xs.find(([n]) => n === 'x')![1];
  assert.ok(x1 > hx[0]);
  assert.match(svg, /3 qubits, 5 gates, 3 columns/);
});

test('user text is escaped: a <script> title becomes &lt;script&gt;', () => {
  const svg = toSvg(trotter(), { title: '<script>alert("x & y")</script>\n<g onload=1>' });
  checkXml(svg);
  assert.ok(svg.includes('&lt;script&gt;alert(&quot;x &amp; y&quot;)&lt;/script&gt;'));
  assert.ok(!svg.includes('<script'));
  assert.ok(!svg.includes('<g onload'));
});

test('huge circuits are cut at maxColumns with a note', () => {
  const c: Circuit = { qubits: 2, gates: Array.from({ length: 3000 }, (_, k) => gate('rz', [k % 2 === 0 ? 0 : 1], [0.1])) };
  const svg = toSvg(c); // 1500 columns: all drawn
  assert.ok(!svg.includes('more column'));
  const deep: Circuit = { qubits: 1, gates: Array.from({ length: 2500 }, () => gate('h', [0])) };
  const cut = toSvg(deep);
  checkXml(cut);
  assert.ok(cut.includes('… 500 more columns — export OpenQASM to see the whole circuit'));
  assert.equal((cut.match(/>h<\/text>/g) ?? []).length, 2000);
  const small = toSvg(deep, { maxColumns: 10 });
  assert.ok(small.includes('… 2490 more columns'));
  assert.equal((small.match(/>h<\/text>/g) ?? []).length, 10);
});

test('100 qubits and 5,000 gates render well under a second', () => {
  const c = random(100, 5000, 42);
  toSvg(c); // warm up the JIT
  const t0 = performance.now();
  const svg = toSvg(c);
  const ms = performance.now() - t0;
  assert.ok(ms < 500, `${ms.toFixed(1)} ms`);
  checkXml(svg);
  for (let q = 0; q < 100; q++) assert.ok(svg.includes(`>q${q}</text>`));
});

test('short angle labels', () => {
  assert.equal(shortAngle(Math.PI / 2), 'π/2');
  assert.equal(shortAngle(-Math.PI / 4), '-π/4');
  assert.equal(shortAngle(Math.PI), 'π');
  assert.equal(shortAngle(3 * Math.PI / 2), '3π/2');
  assert.equal(shortAngle(0.3141), '0.31');
  assert.equal(shortAngle(-1.5), '-1.5');
  assert.equal(shortAngle(0.0003), '3e-4');
  assert.equal(shortAngle(0), '0');
});
