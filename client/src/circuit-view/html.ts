// The circuit view's page: the HTML shell with its Content-Security-Policy, and the contract of the
// messages between the panel host and the script in the page (webview.ts).
// The shell holds no data: every value, and every string from the user's file in particular, is
// filled in by the script with textContent (or, for the server's SVG, after sanitising it).
import { randomBytes } from 'node:crypto';
import type { BlockRef, CircuitViewData } from '../../../server/src/protocol';

// ---------------------------------------------------------------------------------------------
// Messages.

export type ExportFormat = 'svg' | 'qasm3' | 'qasm2' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['svg', 'qasm3', 'qasm2', 'json'];

/** host → webview. */
export type HostMessage =
  | {
    type: 'update';
    ref: BlockRef;
    /** The .qham file's base name, for the header. */
    fileName: string;
    /** null: the server knows no such block (renamed or removed). */
    data: CircuitViewData | null;
  }
  /** The request failed (server not running, restarting…). */
  | { type: 'error'; ref: BlockRef; fileName: string; message: string };

/** webview → host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'compile' }
  | { type: 'cancel' }
  | { type: 'export'; format: ExportFormat };

/**
 * Validates a message from the webview (it is untrusted input: the page could be compromised).
 * Returns undefined for anything that is not exactly one of the known shapes.
 */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  const keys = Object.keys(m);
  switch (m.type) {
    case 'ready':
    case 'refresh':
    case 'compile':
    case 'cancel':
      return keys.length === 1 ? { type: m.type } : undefined;
    case 'export':
      return keys.length === 2 && typeof m.format === 'string' && (EXPORT_FORMATS as readonly string[]).includes(m.format)
        ? { type: 'export', format: m.format as ExportFormat }
        : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The page.

/** A fresh nonce per page load (128 random bits, base64). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** HTML text/attribute escaping. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

/** Escaping for a double-quoted attribute value (single quotes stay readable, e.g. in the CSP). */
function escapeAttr(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch);
}

export interface PageOptions {
  /** webview.cspSource. */
  cspSource: string;
  /** webview.asWebviewUri(dist/webview.js), as a string. */
  scriptUri: string;
  nonce: string;
  /** The document title (escaped here). */
  title: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ') + ';';
}

export function renderHtml(o: PageOptions): string {
  const nonce = escapeAttr(o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(o.title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header id="head">
  <div class="title-row">
    <h1><span id="block-name"></span> <span id="file-name" class="muted"></span></h1>
    <span id="state" class="badge"></span>
    <span id="method" class="badge subtle"></span>
    <span id="cached" class="badge subtle" hidden>cached</span>
    <span class="spacer"></span>
    <button id="btn-compile" type="button" title="Compile this block">Compile</button>
    <button id="btn-cancel" type="button" title="Cancel this block's compilation" hidden>Cancel</button>
  </div>
  <div id="progress" hidden>
    <div class="progress-text"><span id="progress-phase"></span> <span id="progress-detail" class="muted"></span></div>
    <div class="bar"><div id="progress-bar"></div></div>
  </div>
  <div id="error" class="error" role="alert" hidden></div>
  <div id="message" class="message" hidden></div>
  <dl id="numbers" class="numbers" hidden></dl>
  <ul id="notes" class="notes" hidden></ul>
</header>
<main>
  <section id="compare-section" hidden>
    <h2>AQC vs Trotter</h2>
    <table id="compare"><thead><tr><th></th><th>this circuit</th><th>Trotter</th></tr></thead><tbody></tbody></table>
  </section>
  <section id="plot-section" hidden>
    <h2>Fidelity per iteration</h2>
    <div id="plot"></div>
  </section>
  <section id="circuit-section">
    <div class="toolbar">
      <h2 id="circuit-title">Circuit</h2>
      <span class="spacer"></span>
      <span class="zoom-group" id="zoom-group">
        <button id="zoom-out" type="button" title="Zoom out (Ctrl/⌘ + wheel)">−</button>
        <span id="zoom-level" class="muted">100%</span>
        <button id="zoom-in" type="button" title="Zoom in (Ctrl/⌘ + wheel)">+</button>
        <button id="zoom-reset" type="button" title="Actual size">1:1</button>
        <button id="zoom-fit" type="button" title="Fit to width">Fit width</button>
      </span>
      <button id="export-svg" type="button" title="Save this drawing as SVG">Export SVG</button>
      <button id="export-qasm3" type="button" title="Save the circuit as OpenQASM 3">OpenQASM 3</button>
      <button id="export-qasm2" type="button" title="Save the circuit as OpenQASM 2">OpenQASM 2</button>
    </div>
    <div id="circuit-empty" class="empty"></div>
    <div id="circuit" class="circuit" tabindex="0" aria-label="circuit drawing"></div>
  </section>
</main>
<script nonce="${nonce}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}

// The server's SVG has its own (light) colours as presentation attributes; CSS outranks those, so
// the rules under #circuit repaint it in the editor's theme. They key on the structure `toSvg`
// writes (background rect, then groups told apart by stroke width / fill none) and on class names
// the server may add later (.wires, .links, .gates, .u-gates, .marks, .labels, .background).
const STYLE = `
:root { color-scheme: light dark; }
body {
  margin: 0; padding: 12px 16px 24px;
  color: var(--vscode-editor-foreground);
  background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family, system-ui, sans-serif);
  font-size: var(--vscode-font-size, 13px);
}
[hidden] { display: none !important; }
.muted { color: var(--vscode-descriptionForeground); font-weight: normal; }
h1 { font-size: 1.35em; margin: 0; font-weight: 600; word-break: break-all; }
h2 { font-size: 1.05em; margin: 18px 0 6px; font-weight: 600; }
.title-row { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.spacer { flex: 1; }
.badge {
  padding: 1px 8px; border-radius: 10px; font-size: 0.85em; white-space: nowrap;
  background: var(--vscode-badge-background); color: var(--vscode-badge-foreground);
}
.badge.subtle { background: transparent; border: 1px solid var(--vscode-panel-border, var(--vscode-descriptionForeground)); color: var(--vscode-descriptionForeground); }
.badge.done, .badge.missed, .badge.failed, .badge.invalid { background: transparent; border: 1px solid currentColor; font-weight: 600; }
.badge.done { color: var(--vscode-charts-green, #388a34); }
.badge.missed { color: var(--vscode-editorWarning-foreground, #bf8803); }
.badge.failed, .badge.invalid { color: var(--vscode-errorForeground, #f14c4c); }
.badge.running, .badge.queued { background: var(--vscode-progressBar-background, #0e70c0); color: #fff; }
button {
  font: inherit; cursor: pointer; padding: 3px 10px; border-radius: 2px;
  color: var(--vscode-button-secondaryForeground, var(--vscode-button-foreground));
  background: var(--vscode-button-secondaryBackground, var(--vscode-button-background));
  border: 1px solid var(--vscode-button-border, transparent);
}
button:hover:not(:disabled) { background: var(--vscode-button-secondaryHoverBackground, var(--vscode-button-hoverBackground)); }
button:disabled { opacity: 0.45; cursor: default; }
button:focus-visible, .circuit:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
#btn-compile { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
#btn-compile:hover:not(:disabled) { background: var(--vscode-button-hoverBackground); }
#progress { margin-top: 10px; }
.progress-text { margin-bottom: 4px; font-variant-numeric: tabular-nums; }
.bar { height: 4px; background: var(--vscode-editorWidget-background, rgba(128,128,128,0.2)); border-radius: 2px; overflow: hidden; }
#progress-bar { height: 100%; width: 0; background: var(--vscode-progressBar-background, #0e70c0); transition: width 0.2s; }
#progress-bar.indeterminate { width: 30%; animation: slide 1.2s linear infinite; }
@keyframes slide { from { margin-left: -30%; } to { margin-left: 100%; } }
.error {
  margin-top: 10px; padding: 6px 10px; white-space: pre-wrap; word-break: break-word;
  border-left: 3px solid var(--vscode-errorForeground, #f14c4c);
  background: var(--vscode-inputValidation-errorBackground, rgba(241,76,76,0.1));
}
.message { margin-top: 10px; padding: 6px 10px; border-left: 3px solid var(--vscode-textLink-foreground); background: var(--vscode-textBlockQuote-background); }
.numbers { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 6px 18px; margin: 12px 0 0; }
.numbers div { min-width: 0; }
.numbers dt { color: var(--vscode-descriptionForeground); font-size: 0.85em; }
.numbers dd { margin: 0; font-family: var(--vscode-editor-font-family, monospace); font-variant-numeric: tabular-nums; }
.numbers .good { color: var(--vscode-charts-green, #388a34); }
.numbers .bad { color: var(--vscode-editorWarning-foreground, #bf8803); }
.notes { margin: 10px 0 0; padding-left: 18px; color: var(--vscode-descriptionForeground); }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 3px 14px 3px 0; border-bottom: 1px solid var(--vscode-panel-border, rgba(128,128,128,0.25)); }
th { font-weight: 600; color: var(--vscode-descriptionForeground); }
td.num { font-family: var(--vscode-editor-font-family, monospace); }
#plot { max-width: 720px; }
#plot svg { width: 100%; height: auto; display: block; font-family: var(--vscode-font-family, sans-serif); }
#plot .axis { stroke: var(--vscode-descriptionForeground); stroke-width: 1; }
#plot .grid { stroke: var(--vscode-editorIndentGuide-background, rgba(128,128,128,0.25)); stroke-width: 1; }
#plot .tick { fill: var(--vscode-descriptionForeground); font-size: 11px; }
#plot .label { fill: var(--vscode-editor-foreground); font-size: 12px; }
#plot .line { fill: none; stroke: var(--vscode-charts-blue, #3794ff); stroke-width: 2; }
#plot .point { fill: var(--vscode-charts-blue, #3794ff); }
#plot .goal { stroke: var(--vscode-charts-green, #89d185); stroke-width: 1.5; stroke-dasharray: 6 4; }
#plot .goal-label { fill: var(--vscode-charts-green, #89d185); font-size: 11px; }
#plot .target { stroke: var(--vscode-charts-orange, #d18616); stroke-width: 1; stroke-dasharray: 2 3; }
#plot .target-label { fill: var(--vscode-charts-orange, #d18616); font-size: 11px; }
.toolbar { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; margin: 18px 0 6px; }
.toolbar h2 { margin: 0; }
.zoom-group { display: inline-flex; align-items: center; gap: 4px; margin-right: 8px; }
#zoom-level { min-width: 3.5em; text-align: center; font-variant-numeric: tabular-nums; }
.empty { padding: 18px; color: var(--vscode-descriptionForeground); border: 1px dashed var(--vscode-panel-border, rgba(128,128,128,0.4)); border-radius: 3px; }
.empty:empty { display: none; }
.circuit {
  overflow: auto; max-height: 75vh; border: 1px solid var(--vscode-panel-border, rgba(128,128,128,0.35));
  border-radius: 3px; background: var(--vscode-editor-background); color: var(--vscode-editor-foreground);
}
.circuit:empty { display: none; }
.circuit svg { display: block; }
.circuit svg > rect:first-of-type, .circuit svg .background { fill: var(--vscode-editor-background); }
.circuit svg text, .circuit svg .labels { fill: var(--vscode-editor-foreground); }
.circuit svg > text[font-style="italic"] { fill: var(--vscode-descriptionForeground); }
.circuit svg > g[stroke-width="1"], .circuit svg .wires { stroke: var(--vscode-editor-foreground); stroke-opacity: 0.45; }
.circuit svg > g[fill="none"], .circuit svg .links { stroke: var(--vscode-editor-foreground); }
.circuit svg > g[fill="none"] circle, .circuit svg .links circle { fill: var(--vscode-editor-background); }
.circuit svg > g[stroke-width="1.2"], .circuit svg .gates {
  fill: color-mix(in srgb, var(--vscode-charts-blue, #3794ff) 20%, var(--vscode-editor-background));
  stroke: var(--vscode-charts-blue, #3794ff);
}
.circuit svg > g[stroke-width="1.2"] + g[stroke-width="1.2"], .circuit svg .u-gates {
  fill: color-mix(in srgb, var(--vscode-charts-orange, #d18616) 22%, var(--vscode-editor-background));
  stroke: var(--vscode-charts-orange, #d18616);
}
.circuit svg > g:not([stroke]), .circuit svg .marks { fill: var(--vscode-editor-foreground); }
.too-large { padding: 18px; border: 1px solid var(--vscode-editorWarning-foreground, #bf8803); border-radius: 3px; }
`;
