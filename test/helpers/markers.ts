// Fixture markers: `<|>` marks a cursor, `«…»` marks an expected range. Both are removed from the text.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Analysis, analyze } from '../../server/src/lang/analyze';
import type { Span } from '../../server/src/model/span';

export interface Fixture {
  text: string;
  cursors: number[];
  ranges: Span[];
}

export function fixture(src: string): Fixture {
  let text = '';
  const cursors: number[] = [];
  const ranges: Span[] = [];
  const open: number[] = [];
  for (let i = 0; i < src.length;) {
    if (src.startsWith('<|>', i)) { cursors.push(text.length); i += 3; continue; }
    if (src[i] === '«') { open.push(text.length); i += 1; continue; }
    if (src[i] === '»' && open.length) { ranges.push({ start: open.pop()!, end: text.length }); i += 1; continue; }
    text += src[i++];
  }
  ranges.sort((a, b) => a.start - b.start);
  return { text, cursors, ranges };
}

/** Analysis and TextDocument of a fixture, with its first cursor. */
export function open(src: string): { doc: TextDocument; a: Analysis; at: number; fx: Fixture } {
  const fx = fixture(src);
  const doc = TextDocument.create('file:///test.qham', 'qham', 1, fx.text);
  return { doc, a: analyze(fx.text), at: fx.cursors[0] ?? 0, fx };
}

export function hoverText(h: { contents: unknown } | null): string {
  if (!h) return '';
  const c = h.contents as { value?: string } | string;
  return typeof c === 'string' ? c : c.value ?? '';
}
