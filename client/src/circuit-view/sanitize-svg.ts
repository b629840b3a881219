// Sanitising the server's SVG before the circuit view inserts it as markup. The SVG is drawn by our
// own server, but it carries text from the user's file (block names, titles), and a webview must
// never run markup it did not write. Two passes, sharing one set of rules:
//   - sanitizeSvg(): a string → string pass over a small XML tokenizer (pure, DOM-free, unit-tested);
//   - sanitizeSvgTree(): the same rules over a parsed DOM tree (DOMParser 'image/svg+xml'), as
//     defence in depth after parsing, in the webview.
// Rules: only an allow-list of plain SVG drawing elements survives (so <script>, <foreignObject>,
// <style>, <animate>/<set>, <a>, <iframe>, prefixed elements… are dropped with their content);
// event-handler attributes (on*) and `style` go; href/src (xlink:href included) survive only as
// same-document references ('#id'); namespace declarations other than SVG's and XLink's go;
// comments, processing instructions and DOCTYPEs (with their entity declarations) go.
// Plain, well-formed SVG such as our `toSvg` output passes through byte for byte (less its comment).

export const SVG_NS = 'http://www.w3.org/2000/svg';
export const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** Elements kept (local names, case-sensitive as in XML). Everything else is dropped with its content. */
const ALLOWED_ELEMENTS: ReadonlySet<string> = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'title', 'desc',
  'line', 'rect', 'circle', 'ellipse', 'path', 'polyline', 'polygon',
  'text', 'tspan',
  'marker', 'clipPath', 'mask', 'pattern', 'linearGradient', 'radialGradient', 'stop',
]);

const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;

export function isAllowedElement(name: string): boolean {
  return ALLOWED_ELEMENTS.has(name);
}

/** Decodes the XML predefined and numeric character references (enough to see what a URL really is). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (all, ent: string) => {
    switch (ent) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const code = ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
        return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
      }
    }
  });
}

/** Whether an attribute (name as written, value decoded) may stay on an allowed element. */
export function isAllowedAttribute(name: string, value: string): boolean {
  if (!NAME.test(name)) return false;
  const lower = name.toLowerCase();
  const colon = lower.indexOf(':');
  const prefix = colon < 0 ? '' : lower.slice(0, colon);
  const local = colon < 0 ? lower : lower.slice(colon + 1);
  if (lower === 'xmlns') return value === SVG_NS;
  if (prefix === 'xmlns') return local === 'xlink' && value === XLINK_NS;
  if (prefix !== '' && prefix !== 'xlink' && prefix !== 'xml') return false;
  if (local.startsWith('on')) return false; // event handlers, whatever their case
  if (local === 'style') return false; // CSP would refuse it anyway; keeps CSS out of the markup
  if (local === 'href' || local === 'src') return value.startsWith('#'); // same-document references only
  return true;
}

// ---------------------------------------------------------------------------------------------
// The string pass.

/** `&` that does not start a character reference becomes `&amp;` (undeclared entities included). */
function fixAmpersands(s: string): string {
  return s.replace(/&(?!(?:#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);)/g, '&amp;');
}

function escapeText(raw: string): string {
  return fixAmpersands(raw).replace(/</g, '&lt;');
}

interface Attr { name: string; raw: string }

const WS = /\s/;
const ATTR_NAME = /[^\s=/>"']+/y;
const UNQUOTED = /[^\s>]*/y;
const END_TAG = /<\/([^\s>]+)\s*>/y;
const START_TAG = /<([A-Za-z_][^\s/>]*)/y;

/**
 * Parses the attributes of a start tag from `s` at `i` (just after the name) up to the closing `>`.
 * Returns undefined when the tag never closes (the rest is then dropped).
 */
function readTag(s: string, i: number): { attrs: Attr[]; selfClosing: boolean; end: number } | undefined {
  const attrs: Attr[] = [];
  const n = s.length;
  for (;;) {
    while (i < n && WS.test(s[i])) i++;
    if (i >= n) return undefined;
    if (s[i] === '>') return { attrs, selfClosing: false, end: i + 1 };
    if (s[i] === '/' && s[i + 1] === '>') return { attrs, selfClosing: true, end: i + 2 };
    ATTR_NAME.lastIndex = i;
    const m = ATTR_NAME.exec(s);
    if (!m) { i++; continue; } // a stray '/' or quote: skip it
    const name = m[0];
    i += name.length;
    while (i < n && WS.test(s[i])) i++;
    if (s[i] !== '=') continue; // an attribute without a value is not XML: dropped
    i++;
    while (i < n && WS.test(s[i])) i++;
    const q = s[i];
    let raw: string;
    if (q === '"' || q === "'") {
      const close = s.indexOf(q, i + 1);
      if (close < 0) return undefined;
      raw = s.slice(i + 1, close);
      i = close + 1;
    } else {
      UNQUOTED.lastIndex = i;
      const u = UNQUOTED.exec(s)![0];
      raw = u.endsWith('/') && s[i + u.length] === '>' ? u.slice(0, -1) : u;
      i += raw.length;
    }
    attrs.push({ name, raw });
  }
}

/** Skips a DOCTYPE from `i` (at `<!`), internal subset included; returns the index after it. */
function skipDoctype(s: string, i: number): number {
  let quote = '';
  let bracket = 0;
  for (let j = i + 2; j < s.length; j++) {
    const ch = s[j];
    if (quote) { if (ch === quote) quote = ''; continue; }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') bracket++;
    else if (ch === ']') bracket = Math.max(0, bracket - 1);
    else if (ch === '>' && bracket === 0) return j + 1;
  }
  return s.length;
}

/** Sanitises SVG markup (see the file comment). Always returns well-formed markup: one <svg> root, or ''. */
export function sanitizeSvg(markup: string): string {
  const s = markup;
  const out: string[] = [];
  // Open elements; `kept` false = dropped, and so is everything inside it (dropDepth > 0).
  const stack: { name: string; kept: boolean }[] = [];
  let dropDepth = 0;
  const emitting = () => stack.length > 0 && dropDepth === 0;
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    if (lt < 0) { if (emitting()) out.push(escapeText(s.slice(i))); break; }
    if (lt > i && emitting()) out.push(escapeText(s.slice(i, lt)));
    i = lt;
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      i = end < 0 ? s.length : end + 3;
      continue;
    }
    if (s.startsWith('<![CDATA[', i)) {
      const end = s.indexOf(']]>', i + 9);
      const text = s.slice(i + 9, end < 0 ? s.length : end);
      if (emitting()) out.push(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      i = end < 0 ? s.length : end + 3;
      continue;
    }
    if (s.startsWith('<!', i)) { i = skipDoctype(s, i); continue; }
    if (s.startsWith('<?', i)) {
      const end = s.indexOf('?>', i + 2);
      i = end < 0 ? s.length : end + 2;
      continue;
    }
    END_TAG.lastIndex = i;
    const close = END_TAG.exec(s);
    if (close) {
      i += close[0].length;
      let k = stack.length - 1;
      while (k >= 0 && stack[k].name !== close[1]) k--;
      if (k < 0) continue; // stray end tag
      while (stack.length > k) {
        const e = stack.pop()!;
        if (!e.kept) dropDepth--;
        else if (dropDepth === 0) out.push(`</${e.name}>`);
        if (e.kept && stack.length === 0) return out.join(''); // the root is closed: nothing after it
      }
      continue;
    }
    START_TAG.lastIndex = i;
    const open = START_TAG.exec(s);
    if (!open) {
      if (emitting()) out.push('&lt;');
      i++;
      continue;
    }
    const name = open[1];
    const tag = readTag(s, i + open[0].length);
    if (!tag) break; // unterminated tag: drop the rest
    i = tag.end;
    const kept = dropDepth === 0 && NAME.test(name) && isAllowedElement(name) && (stack.length > 0 || name === 'svg');
    if (kept) {
      const attrs = tag.attrs
        .filter((a) => isAllowedAttribute(a.name, decodeEntities(a.raw)))
        .map((a) => ` ${a.name}="${escapeText(a.raw).replace(/"/g, '&quot;')}"`);
      out.push(`<${name}${attrs.join('')}${tag.selfClosing ? '/>' : '>'}`);
      if (tag.selfClosing && stack.length === 0) return out.join('');
    }
    if (!tag.selfClosing) {
      stack.push({ name, kept });
      if (!kept) dropDepth++;
    }
  }
  // Unterminated input: close whatever is still open.
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (!e.kept) dropDepth--;
    else if (dropDepth === 0) out.push(`</${e.name}>`);
  }
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// The DOM pass (structural types, so it runs on a real DOM in the webview and on a fake in tests).

export interface SvgAttrLike { readonly name: string; readonly value: string }
export interface SvgElementLike {
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly prefix?: string | null;
  readonly attributes: ArrayLike<SvgAttrLike>;
  readonly children: ArrayLike<SvgElementLike>;
  removeAttribute(name: string): void;
  remove(): void;
}

/**
 * Sanitises a parsed SVG tree in place. Returns false (and leaves the tree alone) when the root is
 * not an SVG <svg> element; the caller then shows nothing.
 */
export function sanitizeSvgTree(root: SvgElementLike): boolean {
  if (root.localName !== 'svg' || root.namespaceURI !== SVG_NS) return false;
  const visit = (el: SvgElementLike) => {
    for (const a of Array.from(el.attributes)) {
      if (!isAllowedAttribute(a.name, a.value)) el.removeAttribute(a.name);
    }
    for (const child of Array.from(el.children)) {
      if (child.namespaceURI !== SVG_NS || child.prefix || !isAllowedElement(child.localName)) child.remove();
      else visit(child);
    }
  };
  visit(root);
  return true;
}
