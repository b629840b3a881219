// The circuit view's SVG sanitiser: our own drawings pass through intact; scripts, foreign objects,
// event handlers, external links, entities and other tricks do not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  SVG_NS, type SvgElementLike, decodeEntities, isAllowedAttribute, sanitizeSvg, sanitizeSvgTree,
} from '../../client/src/circuit-view/sanitize-svg';
import { type Circuit, type Gate, gate } from '../../server/src/engine/circuit/gates';
import { toSvg } from '../../server/src/export/svg';
import { rng } from '../helpers/random';

function random(n: number, count: number, seed: number): Circuit {
  const r = rng(seed);
  const names = ['h', 'rz', 'U', 'sx', 'cx', 'cz', 'swap', 'cy', 'p'] as const;
  const gates: Gate[] = [];
  for (let k = 0; k < count; k++) {
    const name = names[Math.floor(r.next() * names.length)];
    const a = Math.floor(r.next() * n);
    if (['cx', 'cz', 'swap', 'cy'].includes(name)) {
      gates.push(gate(name, [a, a === n - 1 ? 0 : a + 1]));
    } else {
      gates.push(gate(name, [a], name === 'U' ? [r.next(), r.next(), r.next()] : name === 'h' || name === 'sx' ? [] : [r.next() * 6 - 3]));
    }
  }
  return { qubits: n, gates };
}

/** toSvg output less its leading marker comment. */
const withoutComment = (svg: string) => svg.replace(/^<!--[^\n]*-->\n/, '').trimEnd();

test('our own toSvg drawings pass through byte for byte (less the marker comment)', () => {
  for (const [c, opts] of [
    [random(20, 400, 1), {}],
    [random(5, 60, 2), { theme: 'dark' as const, title: 'xxz · block <b> & "c"' }],
    [random(3, 5000, 3), { maxColumns: 50 }],
    [{ qubits: 1, gates: [] }, {}],
  ] as const) {
    const svg = toSvg(c, opts);
    assert.equal(sanitizeSvg(svg), withoutComment(svg));
  }
});

test('script, foreignObject, style, animate/set, a, iframe and unknown or prefixed elements go with their content', () => {
  const dirty = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><g><foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(2)"/></div></foreignObject>'
    + '<rect width="3"/></g><style>*{background:url(http://evil/)}</style><set attributeName="onmouseover" to="alert(3)"/>'
    + '<animate attributeName="href" values="javascript:alert(4)"/><a href="#x"><text>link</text></a><iframe src="#"/><svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(5)</svg:script>'
    + '<SCRIPT>alert(6)</SCRIPT><text>ok</text></svg>';
  assert.equal(sanitizeSvg(dirty), '<svg xmlns="http://www.w3.org/2000/svg"><g><rect width="3"/></g><text>ok</text></svg>');
});

test('event handlers (any case), style, and href/src that are not same-document references are removed', () => {
  const dirty = '<svg onload="alert(1)" ONLOAD="x"><rect onclick=\'alert(2)\' fill="red" OnMouseOver="x" style="fill:url(http://evil)"/>'
    + '<use href="#ok"/><use xlink:href="javascript:alert(3)"/><use href=" javascript:alert(4)"/><use href="&#106;avascript:alert(5)"/>'
    + '<use href="&#x23;frag"/><use xlink:href="http://evil/x.svg#a"/><circle xlink:onclick="x" xml:space="preserve"/></svg>';
  assert.equal(sanitizeSvg(dirty),
    '<svg><rect fill="red"/><use href="#ok"/><use/><use/><use/><use href="&#x23;frag"/><use/><circle xml:space="preserve"/></svg>');
  assert.equal(isAllowedAttribute('xlink:href', '#a'), true);
  assert.equal(isAllowedAttribute('xlink:href', 'data:image/svg+xml,<svg onload=alert(1)>'), false);
  assert.equal(isAllowedAttribute('onfocusin', ''), false);
  assert.equal(isAllowedAttribute('foo:bar', '1'), false);
  assert.equal(isAllowedAttribute('xmlns', 'http://www.w3.org/1999/xhtml'), false);
  assert.equal(isAllowedAttribute('xmlns', SVG_NS), true);
  assert.equal(isAllowedAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink'), true);
  assert.equal(isAllowedAttribute('xmlns:h', 'http://www.w3.org/1999/xhtml'), false);
  assert.equal(decodeEntities('&#106;&#x61;&lt;&amp;lt;'), 'ja<&lt;');
});

test('comments, processing instructions, DOCTYPE with entity declarations and CDATA are neutralised', () => {
  const dirty = '<?xml version="1.0"?>\n<!DOCTYPE svg [ <!ENTITY x "<script>alert(1)</script>"> <!ENTITY y "a>b"> ]>\n'
    + '<svg><!-- <script>alert(2)</script> --><text>&x; &y; &amp; &#65; &bogus</text><title><![CDATA[a<b & </title><script>]]></title></svg>';
  assert.equal(sanitizeSvg(dirty),
    '<svg><text>&amp;x; &amp;y; &amp; &#65; &amp;bogus</text><title>a&lt;b &amp; &lt;/title&gt;&lt;script&gt;</title></svg>');
});

test('malformed markup comes out well-formed: one svg root, nothing after it, tags balanced', () => {
  assert.equal(sanitizeSvg('<svg><g><text>a < b > c</text>'), '<svg><g><text>a &lt; b > c</text></g></svg>');
  assert.equal(sanitizeSvg('<svg><g></svg><script>alert(1)</script><svg><rect/></svg>'), '<svg><g></g></svg>');
  assert.equal(sanitizeSvg('text before <svg/> after'), '<svg/>');
  assert.equal(sanitizeSvg('<script><svg><rect/></svg></script><svg><circle/></svg>'), '<svg><circle/></svg>');
  assert.equal(sanitizeSvg('<g><rect/></g>'), '', 'no svg root: nothing');
  assert.equal(sanitizeSvg('<svg><rect width="1" height=2 x = \'3\' y="a\'b" disabled/></svg>'),
    '<svg><rect width="1" height="2" x="3" y="a\'b"/></svg>');
  assert.equal(sanitizeSvg('<svg><rect title="a"b"/></svg>'), '<svg><rect title="a"/></svg>');
  assert.equal(sanitizeSvg('<svg><rect fill="red" onclick="x'), '<svg></svg>', 'unterminated tag: rest dropped');
  assert.equal(sanitizeSvg('<svg><text>x</tex></svg>'), '<svg><text>x</text></svg>');
  assert.equal(sanitizeSvg(''), '');
});

test('linear time on large or hostile input', () => {
  const big = toSvg(random(100, 20000, 4));
  assert.equal(sanitizeSvg(big), withoutComment(big));
  const hostile = `<svg><rect x=${'a'.repeat(200000)}`;
  assert.equal(sanitizeSvg(hostile), '<svg></svg>');
  const deep = `<svg>${'<g>'.repeat(5000)}${'</g>'.repeat(5000)}</svg>`;
  assert.equal(sanitizeSvg(deep), deep);
});

// A minimal element for the DOM pass.
class FakeEl implements SvgElementLike {
  parent: FakeEl | undefined;
  children: FakeEl[] = [];
  attrs: { name: string; value: string }[];
  constructor(readonly localName: string, attrs: Record<string, string> = {}, readonly namespaceURI: string | null = SVG_NS, readonly prefix: string | null = null) {
    this.attrs = Object.entries(attrs).map(([name, value]) => ({ name, value }));
  }
  get attributes() { return this.attrs; }
  add(...kids: FakeEl[]): this { for (const k of kids) { k.parent = this; this.children.push(k); } return this; }
  removeAttribute(name: string) { this.attrs = this.attrs.filter((a) => a.name !== name); }
  remove() { if (this.parent) this.parent.children = this.parent.children.filter((c) => c !== this); }
  dump(): string {
    const a = this.attrs.map((x) => ` ${x.name}="${x.value}"`).join('');
    return `<${this.prefix ? `${this.prefix}:` : ''}${this.localName}${a}>${this.children.map((c) => c.dump()).join('')}</${this.localName}>`;
  }
}

test('the DOM pass applies the same rules to a parsed tree', () => {
  const root = new FakeEl('svg', { onload: 'x', width: '10' }).add(
    new FakeEl('g', { fill: 'red', OnClick: 'x' }).add(new FakeEl('rect', { style: 'x', height: '2' }), new FakeEl('script')),
    new FakeEl('foreignObject'),
    new FakeEl('div', {}, 'http://www.w3.org/1999/xhtml'),
    new FakeEl('script', {}, SVG_NS, 'svg'),
    new FakeEl('use', { 'xlink:href': 'javascript:alert(1)', href: '#a' }),
    new FakeEl('text', { x: '1' }),
  );
  assert.equal(sanitizeSvgTree(root), true);
  assert.equal(root.dump(), '<svg width="10"><g fill="red"><rect height="2"></rect></g><use href="#a"></use><text x="1"></text></svg>');
  assert.equal(sanitizeSvgTree(new FakeEl('html', {}, 'http://www.w3.org/1999/xhtml')), false);
  assert.equal(sanitizeSvgTree(new FakeEl('svg', {}, null)), false, 'an svg root outside the SVG namespace');
});
