// Standalone SVG drawing of a circuit: labelled wires, gates packed into columns as early as they
// can go. Plain string building (no DOM) so it runs anywhere and stays fast at thousands of gates.
import type { Circuit, Gate } from '../engine/circuit/gates';
import { checkCircuit } from './common';
import { QHAM_MARKER, sanitizeLine } from './header';

export interface SvgOptions {
  /** Shown above the drawing (escaped: it usually comes from the user's file). */
  title?: string;
  /** Columns drawn before the rest is summarised in a note (default 2000). */
  maxColumns?: number;
  theme?: 'light' | 'dark';
}

interface Theme { bg: string; wire: string; text: string; muted: string; box: string; boxLine: string; uBox: string; uLine: string; ink: string }

const THEMES: Record<'light' | 'dark', Theme> = {
  light: { bg: '#ffffff', wire: '#9a9a9a', text: '#1a1a1a', muted: '#666666', box: '#e8f0fe', boxLine: '#3b6fd4', uBox: '#fdf0d5', uLine: '#c98a0b', ink: '#1a1a1a' },
  dark: { bg: '#1e1e1e', wire: '#6a6a6a', text: '#e6e6e6', muted: '#a0a0a0', box: '#26344d', boxLine: '#6d9eeb', uBox: '#4a3a1a', uLine: '#e0a83a', ink: '#e6e6e6' },
};

const FONT = 13;
const CHAR_W = FONT * 0.6; // monospace advance
const ROW_H = 40;
const BOX_H = 26;
const GAP = 10;
const MIN_COL = 28;
const MARGIN = 16;

/** XML text and attribute escaping; control characters (illegal in XML 1.0) are made visible first. */
export function escapeXml(s: string): string {
  return sanitizeLine(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch);
}

const r1 = (x: number) => Math.round(x * 10) / 10;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** A short angle for a box label: multiples of π/4 as such, else 2 decimals (or 1 significant digit). */
export function shortAngle(x: number): string {
  const k = x / (Math.PI / 4);
  const kr = Math.round(k);
  if (kr !== 0 && Math.abs(k - kr) < 1e-9) {
    const g = gcd(Math.abs(kr), 4);
    const num = kr / g, den = 4 / g;
    return `${num === 1 ? '' : num === -1 ? '-' : num}π${den === 1 ? '' : `/${den}`}`;
  }
  if (x === 0) return '0';
  if (Math.abs(x) < 0.005) return x.toExponential(0);
  return x.toFixed(2).replace(/\.?0+$/, '');
}

function label(g: Gate): string {
  if (g.name === 'U') return 'U';
  return g.params.length > 0 ? `${g.name} ${g.params.map(shortAngle).join(',')}` : g.name;
}

function tooltip(g: Gate): string {
  const params = g.params.length > 0 ? `(${g.params.join(', ')})` : '';
  return `${g.name}${params} ${g.qubits.map((q) => `q${q}`).join(', ')}`;
}

function gateWidth(g: Gate): number {
  if (g.qubits.length === 2 && g.name !== 'cy') return MIN_COL;
  const text = g.name === 'cy' ? 'y' : label(g);
  return Math.max(MIN_COL, text.length * CHAR_W + 12);
}

/** ASAP layering; a two-qubit gate reserves every wire it crosses so vertical lines never overlap. */
function layer(c: Circuit): { col: Int32Array; columns: number } {
  const level = new Int32Array(c.qubits);
  const col = new Int32Array(c.gates.length);
  let columns = 0;
  c.gates.forEach((g, k) => {
    const lo = Math.min(...g.qubits), hi = Math.max(...g.qubits);
    let at = 0;
    for (let q = lo; q <= hi; q++) at = Math.max(at, level[q]);
    for (let q = lo; q <= hi; q++) level[q] = at + 1;
    col[k] = at;
    columns = Math.max(columns, at + 1);
  });
  return { col, columns };
}

export function toSvg(c: Circuit, opts: SvgOptions = {}): string {
  checkCircuit(c);
  const th = THEMES[opts.theme ?? 'light'];
  const maxColumns = Math.max(1, Math.floor(opts.maxColumns ?? 2000));
  const { col, columns } = layer(c);
  const shown = Math.min(columns, maxColumns);
  const hidden = columns - shown;

  const colW = new Float64Array(shown).fill(MIN_COL);
  c.gates.forEach((g, k) => { if (col[k] < shown) colW[col[k]] = Math.max(colW[col[k]], gateWidth(g)); });
  const labelW = `q${c.qubits - 1}`.length * CHAR_W + 14;
  const x0 = MARGIN + labelW;
  const colX = new Float64Array(shown + 1);
  colX[0] = x0 + GAP;
  for (let i = 0; i < shown; i++) colX[i + 1] = colX[i] + colW[i] + GAP;

  const titleH = opts.title !== undefined ? 30 : 0;
  const top = MARGIN + titleH;
  const y = (q: number) => top + q * ROW_H + ROW_H / 2;
  const note = hidden > 0 ? `… ${hidden} more column${hidden === 1 ? '' : 's'} — export OpenQASM to see the whole circuit` : '';
  const wiresEnd = colX[shown] + GAP;
  const width = Math.ceil(Math.max(wiresEnd, x0 + note.length * CHAR_W) + MARGIN);
  const height = Math.ceil(top + c.qubits * ROW_H + (note ? 28 : 0) + MARGIN);

  // Buckets drawn in this order: wires, connectors, boxes, U boxes, dots/targets, text.
  const wires: string[] = [], links: string[] = [], boxes: string[] = [], uBoxes: string[] = [], marks: string[] = [], texts: string[] = [];

  for (let q = 0; q < c.qubits; q++) {
    wires.push(`<line x1="${r1(x0)}" y1="${y(q)}" x2="${r1(wiresEnd)}" y2="${y(q)}"/>`);
    texts.push(`<text x="${r1(x0 - 6)}" y="${y(q)}" text-anchor="end" dominant-baseline="central">q${q}</text>`);
  }

  const box = (cx: number, q: number, w: number, text: string, tip: string, u: boolean) => {
    (u ? uBoxes : boxes).push(`<rect x="${r1(cx - w / 2)}" y="${y(q) - BOX_H / 2}" width="${r1(w)}" height="${BOX_H}" rx="3"><title>${escapeXml(tip)}</title></rect>`);
    texts.push(`<text x="${r1(cx)}" y="${y(q)}" text-anchor="middle" dominant-baseline="central">${escapeXml(text)}</text>`);
  };
  const dot = (cx: number, q: number) => marks.push(`<circle cx="${r1(cx)}" cy="${y(q)}" r="4.5"/>`);
  const link = (cx: number, a: number, b: number) => links.push(`<line x1="${r1(cx)}" y1="${y(a)}" x2="${r1(cx)}" y2="${y(b)}"/>`);
  const cross = (cx: number, q: number) => {
    const d = 6, yq = y(q);
    links.push(`<path d="M${r1(cx - d)} ${yq - d}L${r1(cx + d)} ${yq + d}M${r1(cx - d)} ${yq + d}L${r1(cx + d)} ${yq - d}"/>`);
  };

  c.gates.forEach((g, k) => {
    if (col[k] >= shown) return;
    const cx = colX[col[k]] + colW[col[k]] / 2;
    const tip = tooltip(g);
    if (g.qubits.length === 1) { box(cx, g.qubits[0], gateWidth(g), label(g), tip, g.name === 'U'); return; }
    const [a, b] = g.qubits;
    link(cx, a, b);
    switch (g.name) {
      case 'cx': {
        const r = 9, yb = y(b);
        dot(cx, a);
        // ⊕: a hollow circle with a plus, drawn in the link colour on the background.
        links.push(`<circle cx="${r1(cx)}" cy="${yb}" r="${r}" fill="${th.bg}"><title>${escapeXml(tip)}</title></circle>`);
        links.push(`<path d="M${r1(cx - r)} ${yb}H${r1(cx + r)}M${r1(cx)} ${yb - r}V${yb + r}"/>`);
        break;
      }
      case 'cz': dot(cx, a); dot(cx, b); break;
      case 'cy': dot(cx, a); box(cx, b, gateWidth(g), 'y', tip, false); break;
      case 'swap': cross(cx, a); cross(cx, b); break;
      default: box(cx, a, gateWidth(g), g.name, tip, false);
    }
  });

  const out: string[] = [];
  out.push(`<!-- ${QHAM_MARKER} -->`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="${FONT}">`);
  const stats = `${c.qubits} qubits, ${c.gates.length} gates, ${columns} columns`;
  out.push(`<title>${escapeXml(opts.title !== undefined ? `${opts.title} — ${stats}` : stats)}</title>`);
  out.push(`<rect class="background" width="100%" height="100%" fill="${th.bg}"/>`);
  if (opts.title !== undefined) {
    out.push(`<text x="${MARGIN}" y="${MARGIN + 12}" fill="${th.text}" font-size="${FONT + 2}" font-weight="bold">${escapeXml(opts.title)}</text>`);
  }
  const group = (attrs: string, items: string[]) => { if (items.length > 0) out.push(`<g ${attrs}>`, ...items, '</g>'); };
  // Class names let viewers restyle the drawing (the circuit view follows the editor's theme).
  group(`class="wires" stroke="${th.wire}" stroke-width="1"`, wires);
  group(`class="links" stroke="${th.ink}" stroke-width="1.5" fill="none"`, links);
  group(`class="gates" fill="${th.box}" stroke="${th.boxLine}" stroke-width="1.2"`, boxes);
  group(`class="u-gates" fill="${th.uBox}" stroke="${th.uLine}" stroke-width="1.2"`, uBoxes);
  group(`class="marks" fill="${th.ink}"`, marks);
  group(`class="labels" fill="${th.text}"`, texts);
  if (note) {
    out.push(`<text x="${r1(x0)}" y="${top + c.qubits * ROW_H + 18}" fill="${th.muted}" font-style="italic">${escapeXml(note)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
