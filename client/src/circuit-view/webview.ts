// The script inside the circuit view (bundled on its own as dist/webview.js: browser, IIFE).
// It fills the static shell of html.ts from the host's messages. Rules: strings go in with
// textContent only; the server's SVG goes through the sanitiser (string pass, then DOMParser as
// image/svg+xml, then the DOM pass) before it is adopted into the page; every listener is attached
// here (the CSP forbids inline handlers).
import type { BlockProgress, BlockStatus, CircuitViewData, CompileNumbers } from '../../../server/src/protocol';
import type { HostMessage, WebviewMessage } from './html';
import { SVG_NS, sanitizeSvg, sanitizeSvgTree } from './sanitize-svg';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`circuit view: #${id} missing`);
  return el as T;
};

const ui = {
  blockName: $('block-name'), fileName: $('file-name'), state: $('state'), method: $('method'), cached: $('cached'),
  compile: $<HTMLButtonElement>('btn-compile'), cancel: $<HTMLButtonElement>('btn-cancel'),
  progress: $('progress'), progressPhase: $('progress-phase'), progressDetail: $('progress-detail'), progressBar: $('progress-bar'),
  error: $('error'), message: $('message'), numbers: $('numbers'), notes: $('notes'),
  compareSection: $('compare-section'), compare: $<HTMLTableElement>('compare'),
  plotSection: $('plot-section'), plot: $('plot'),
  circuitTitle: $('circuit-title'), circuitEmpty: $('circuit-empty'), circuit: $('circuit'),
  zoomGroup: $('zoom-group'), zoomIn: $<HTMLButtonElement>('zoom-in'), zoomOut: $<HTMLButtonElement>('zoom-out'),
  zoomReset: $<HTMLButtonElement>('zoom-reset'), zoomFit: $<HTMLButtonElement>('zoom-fit'), zoomLevel: $('zoom-level'),
  exportSvg: $<HTMLButtonElement>('export-svg'), exportQasm3: $<HTMLButtonElement>('export-qasm3'), exportQasm2: $<HTMLButtonElement>('export-qasm2'),
};

// ---------------------------------------------------------------------------------------------
// Formatting.

function fmtFidelity(f: number): string {
  if (!Number.isFinite(f)) return '—';
  return 1 - f < 1e-4 ? f.toFixed(7) : f.toFixed(4);
}

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 0.1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

const fmtInt = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US'));

const PHASES: Record<BlockProgress['phase'], string> = {
  target: 'Computing the target state',
  optimize: 'Optimising the circuit',
  compare: 'Comparing with Trotter',
  trotter: 'Building the Trotter circuit',
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---------------------------------------------------------------------------------------------
// Header: state, progress, numbers, notes, error.

function stateLabel(s: BlockStatus): { text: string; cls: string } {
  switch (s.state) {
    case 'done': return s.goalReached === false ? { text: 'goal missed', cls: 'missed' } : { text: 'compiled', cls: 'done' };
    case 'running': return { text: 'compiling', cls: 'running' };
    case 'queued': return { text: 'queued', cls: 'queued' };
    case 'failed': return { text: 'failed', cls: 'failed' };
    case 'invalid': return { text: 'errors in file', cls: 'invalid' };
    case 'cancelled': return { text: 'cancelled', cls: '' };
    default: return { text: 'not compiled', cls: '' };
  }
}

function renderProgress(s: BlockStatus): void {
  const busy = s.state === 'running' || s.state === 'queued';
  ui.progress.hidden = !busy;
  if (!busy) return;
  const p = s.progress;
  if (s.state === 'queued' || !p) {
    ui.progressPhase.textContent = s.state === 'queued' ? 'Queued' : 'Starting';
    ui.progressDetail.textContent = s.state === 'queued' ? 'waiting for a worker' : '';
    ui.progressBar.classList.add('indeterminate');
    ui.progressBar.style.width = '';
    return;
  }
  ui.progressPhase.textContent = PHASES[p.phase] ?? p.phase;
  const parts: string[] = [];
  if (p.iteration !== undefined) parts.push(p.maxIterations ? `iteration ${p.iteration} / ${p.maxIterations}` : `iteration ${p.iteration}`);
  if (p.fidelity !== undefined) parts.push(`F ${fmtFidelity(p.fidelity)}`);
  if (p.layers !== undefined) parts.push(`${p.layers} layer${p.layers === 1 ? '' : 's'}`);
  // The optimiser's message restates its numbers ("layers 3: iteration 41, F 0.99…"); the other
  // phases' messages say more than the numbers ("Trotter 5 steps: F = 0.85…").
  ui.progressDetail.textContent = p.phase !== 'optimize' && p.message ? p.message : parts.join(' · ') || p.message;
  if (p.iteration !== undefined && p.maxIterations) {
    ui.progressBar.classList.remove('indeterminate');
    ui.progressBar.style.width = `${Math.min(100, (100 * p.iteration) / p.maxIterations).toFixed(1)}%`;
  } else {
    ui.progressBar.classList.add('indeterminate');
    ui.progressBar.style.width = '';
  }
}

function renderNumbers(s: BlockStatus): void {
  const n = s.numbers;
  const items: [string, string, string?][] = [];
  if (n?.fidelity !== undefined) {
    const ok = n.fidelity >= s.goal;
    items.push(['Fidelity vs target', `${fmtFidelity(n.fidelity)}  (goal ${s.goal}) ${ok ? '✓' : '✗'}`, ok ? 'good' : 'bad']);
  } else {
    items.push(['Goal fidelity', String(s.goal)]);
  }
  if (n?.targetError !== undefined) items.push(['Target’s own error', `≈ ${n.targetError.toExponential(1)}`]);
  items.push(['Qubits', fmtInt(s.qubits)]);
  if (n) {
    items.push(['Depth', fmtInt(n.depth)], ['2q depth', fmtInt(n.twoQubitDepth)], ['CX gates', fmtInt(n.cxCount)]);
    if (n.parameters !== undefined) items.push(['Parameters', fmtInt(n.parameters)]);
    if (n.iterations !== undefined) items.push(['Iterations', fmtInt(n.iterations)]);
    if (n.layers !== undefined) items.push([s.method === 'aqc' ? 'Ansatz layers' : 'Trotter steps', fmtInt(n.layers)]);
    items.push(['Time', fmtSeconds(n.seconds)]);
    if (n.stopReason) items.push(['Stopped', n.stopReason]);
  }
  ui.numbers.replaceChildren(...items.map(([k, v, cls]) => {
    const d = el('div');
    d.append(el('dt', k), el('dd', v, cls));
    return d;
  }));
  ui.numbers.hidden = false;
}

function renderCompare(s: BlockStatus): void {
  const n = s.numbers;
  const t = n?.trotter;
  const body = ui.compare.tBodies[0];
  if (!n || !t || (t.sameDepthFidelity === undefined && t.twoQubitDepth === undefined && t.depthRatio === undefined)) {
    ui.compareSection.hidden = true;
    body.replaceChildren();
    return;
  }
  const rows: [string, string, string][] = [];
  if (t.sameDepthFidelity !== undefined) {
    rows.push([`Fidelity at 2q depth ${n.twoQubitDepth}`, n.fidelity !== undefined ? fmtFidelity(n.fidelity) : '—', fmtFidelity(t.sameDepthFidelity)]);
  }
  const target = n.fidelity !== undefined ? `F ≥ ${fmtFidelity(n.fidelity)}` : 'the same fidelity';
  if (t.twoQubitDepth !== undefined || t.stepsForSameFidelity !== undefined) {
    const steps = t.stepsForSameFidelity !== undefined ? ` (${t.stepsForSameFidelity} step${t.stepsForSameFidelity === 1 ? '' : 's'})` : '';
    rows.push([`2q depth for ${target}`, fmtInt(n.twoQubitDepth), `${fmtInt(t.twoQubitDepth)}${steps}`]);
  } else {
    rows.push([`2q depth for ${target}`, fmtInt(n.twoQubitDepth), 'not reached within the search limit']);
  }
  if (t.depthRatio !== undefined && Number.isFinite(t.depthRatio)) {
    rows.push(['2q-depth ratio (Trotter / this)', '1×', `${t.depthRatio.toFixed(1)}×`]);
  }
  body.replaceChildren(...rows.map(([k, a, b]) => {
    const tr = el('tr');
    tr.append(el('th', k), el('td', a, 'num'), el('td', b, 'num'));
    return tr;
  }));
  ui.compare.tHead!.rows[0].cells[1].textContent = s.method === 'aqc' ? 'AQC (this circuit)' : 'this circuit';
  ui.compareSection.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// The fidelity plot: infidelity 1 − F per iteration on a log scale.

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
const pow10 = (e: number) => (e === 0 ? '1' : `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`);

function niceStep(range: number, target: number): number {
  const raw = range / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
}

function buildPlot(trace: readonly number[], goal: number, n: CompileNumbers | undefined): SVGSVGElement {
  const W = 640, H = 240, L = 62, R = 16, T = 16, B = 40;
  const FLOOR = 1e-16;
  const pts: [number, number][] = [];
  if (n?.startFidelity !== undefined) pts.push([0, n.startFidelity]);
  trace.forEach((f, i) => pts.push([i + 1, f]));
  const inf = (f: number) => Math.max(FLOOR, Math.min(1, 1 - f));
  const logs = pts.map(([, f]) => Math.log10(inf(f)));
  const extra: number[] = [];
  if (goal > 0 && goal < 1) extra.push(Math.log10(1 - goal));
  let yLo = Math.floor(Math.min(...logs, ...extra));
  let yHi = Math.ceil(Math.max(...logs, ...extra));
  if (yHi - yLo < 1) { yHi = Math.min(0, yLo + 1); yLo = yHi - 1; }
  const xMax = Math.max(1, pts[pts.length - 1][0]);
  const xMin = pts[0][0];
  const px = (x: number) => L + ((x - xMin) / Math.max(1e-9, xMax - xMin)) * (W - L - R);
  const py = (ly: number) => T + ((yHi - ly) / (yHi - yLo)) * (H - T - B);

  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'infidelity per optimiser iteration, log scale' });
  // Horizontal grid + decade labels (at most ~8 labels).
  const every = Math.max(1, Math.ceil((yHi - yLo) / 8));
  for (let e = yLo; e <= yHi; e++) {
    const y = py(e);
    svg.append(svgEl('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'grid' }));
    if ((e - yLo) % every === 0 || e === yHi) svg.append(svgEl('text', { x: L - 6, y, 'text-anchor': 'end', 'dominant-baseline': 'central', class: 'tick' }, pow10(e)));
  }
  // x ticks.
  const step = niceStep(xMax - xMin, 8);
  for (let x = Math.ceil(xMin / step) * step; x <= xMax + 1e-9; x += step) {
    const X = px(x);
    svg.append(svgEl('line', { x1: X, x2: X, y1: H - B, y2: H - B + 4, class: 'axis' }));
    svg.append(svgEl('text', { x: X, y: H - B + 16, 'text-anchor': 'middle', class: 'tick' }, String(Math.round(x))));
  }
  svg.append(svgEl('line', { x1: L, x2: L, y1: T, y2: H - B, class: 'axis' }));
  svg.append(svgEl('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }));
  svg.append(svgEl('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle', class: 'label' }, 'iteration'));
  svg.append(svgEl('text', { x: 14, y: (T + H - B) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${(T + H - B) / 2})`, class: 'label' }, '1 − F  (infidelity)'));
  // Goal and the target's own error.
  if (goal > 0 && goal < 1) {
    const y = py(Math.log10(1 - goal));
    svg.append(svgEl('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'goal' }));
    svg.append(svgEl('text', { x: W - R - 4, y: y - 4, 'text-anchor': 'end', class: 'goal-label' }, `goal F ≥ ${goal}`));
  }
  if (n?.targetError !== undefined && n.targetError > 0) {
    const ly = Math.log10(n.targetError);
    if (ly >= yLo && ly <= yHi) {
      const y = py(ly);
      svg.append(svgEl('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'target' }));
      svg.append(svgEl('text', { x: L + 6, y: y - 4, class: 'target-label' }, 'target’s own error'));
    }
  }
  // The curve.
  const d = pts.map(([x], i) => `${i === 0 ? 'M' : 'L'}${px(x).toFixed(1)} ${py(logs[i]).toFixed(1)}`).join('');
  svg.append(svgEl('path', { d, class: 'line' }));
  if (pts.length <= 80) {
    pts.forEach(([x, f], i) => {
      const c = svgEl('circle', { cx: px(x).toFixed(1), cy: py(logs[i]).toFixed(1), r: 2.5, class: 'point' });
      c.append(svgEl('title', {}, `iteration ${x}: F ${fmtFidelity(f)}`));
      svg.append(c);
    });
  }
  const last = pts[pts.length - 1];
  svg.append(svgEl('text', { x: W - R - 4, y: T + 10, 'text-anchor': 'end', class: 'label' }, `F ${fmtFidelity(last[1])} after ${last[0]} iteration${last[0] === 1 ? '' : 's'}`));
  return svg;
}

function renderPlot(data: CircuitViewData): void {
  const trace = data.trace ?? data.status.numbers?.trace;
  if (!trace || trace.length === 0 || !trace.every((f) => typeof f === 'number' && Number.isFinite(f))) {
    ui.plotSection.hidden = true;
    ui.plot.replaceChildren();
    return;
  }
  ui.plot.replaceChildren(buildPlot(trace, data.status.goal, data.status.numbers));
  ui.plotSection.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// The circuit drawing, with zoom.

interface ViewState { zoom: number; fit: boolean }
const saved = vscode.getState() as Partial<ViewState> | undefined;
let zoom = typeof saved?.zoom === 'number' && saved.zoom > 0 ? saved.zoom : 1;
let fit = saved?.fit === true;
let natural: { w: number; h: number } | undefined;
let currentSvg: string | undefined;
const MIN_ZOOM = 0.05, MAX_ZOOM = 8;

function drawing(): SVGSVGElement | null {
  return ui.circuit.querySelector(':scope > svg');
}

function applyZoom(): void {
  const svg = drawing();
  if (!svg || !natural) return;
  if (fit) {
    const avail = ui.circuit.clientWidth - 2;
    if (avail > 0) zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, avail / natural.w));
  }
  svg.setAttribute('width', (natural.w * zoom).toFixed(1));
  svg.setAttribute('height', (natural.h * zoom).toFixed(1));
  ui.zoomLevel.textContent = `${Math.round(zoom * 100)}%`;
  ui.zoomFit.setAttribute('aria-pressed', String(fit));
  vscode.setState({ zoom, fit } satisfies ViewState);
}

/** Zooms to `next`, keeping the drawing point under (clientX, clientY) — or the view's centre — still. */
function zoomTo(next: number, clientX?: number, clientY?: number): void {
  next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next));
  const box = ui.circuit.getBoundingClientRect();
  const ox = clientX !== undefined ? clientX - box.left : ui.circuit.clientWidth / 2;
  const oy = clientY !== undefined ? clientY - box.top : ui.circuit.clientHeight / 2;
  const k = next / zoom;
  const sx = (ui.circuit.scrollLeft + ox) * k - ox;
  const sy = (ui.circuit.scrollTop + oy) * k - oy;
  zoom = next;
  fit = false;
  applyZoom();
  ui.circuit.scrollLeft = sx;
  ui.circuit.scrollTop = sy;
}

/** Sanitises and inserts the server's SVG; false when it could not be used. */
function insertSvg(markup: string): boolean {
  if (markup === currentSvg && drawing()) return true;
  const clean = sanitizeSvg(markup);
  const doc = new DOMParser().parseFromString(clean, 'image/svg+xml');
  const root = doc.documentElement;
  if (!clean || doc.getElementsByTagName('parsererror').length > 0 || !sanitizeSvgTree(root)) return false;
  const w = parseFloat(root.getAttribute('width') ?? '');
  const h = parseFloat(root.getAttribute('height') ?? '');
  const vb = (root.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  natural = {
    w: Number.isFinite(w) && w > 0 ? w : vb.length === 4 && vb[2] > 0 ? vb[2] : 800,
    h: Number.isFinite(h) && h > 0 ? h : vb.length === 4 && vb[3] > 0 ? vb[3] : 400,
  };
  if (!root.getAttribute('viewBox')) root.setAttribute('viewBox', `0 0 ${natural.w} ${natural.h}`);
  ui.circuit.replaceChildren(document.importNode(root, true));
  currentSvg = markup;
  applyZoom();
  return true;
}

function clearSvg(): void {
  ui.circuit.replaceChildren();
  currentSvg = undefined;
  natural = undefined;
}

function showEmpty(text: string, cls = 'empty'): void {
  ui.circuitEmpty.className = cls;
  ui.circuitEmpty.textContent = text;
}

function renderCircuit(data: CircuitViewData): void {
  const s = data.status;
  const hasCircuit = data.circuit !== undefined || s.state === 'done';
  ui.exportQasm3.disabled = !hasCircuit;
  ui.exportQasm2.disabled = !hasCircuit;
  ui.exportSvg.disabled = true;
  ui.zoomGroup.hidden = true;
  const c = data.circuit;
  ui.circuitTitle.textContent = c ? `Circuit — ${c.qubits} qubits, ${c.gates.length.toLocaleString('en-US')} gates` : 'Circuit';
  if (data.tooLarge) {
    clearSvg();
    const { gates, limit } = data.tooLarge;
    showEmpty(`Too large to draw (${fmtInt(gates)} gates, limit ${fmtInt(limit)}) — export OpenQASM instead.`, 'too-large');
    return;
  }
  if (data.svg) {
    if (insertSvg(data.svg)) {
      showEmpty('');
      ui.exportSvg.disabled = false;
      ui.zoomGroup.hidden = false;
      if (s.state === 'running' || s.state === 'queued') showEmpty('Showing the last compiled circuit; a new compile is running.', 'message');
      return;
    }
    clearSvg();
    showEmpty('The drawing could not be shown (the SVG from the server was not valid). Export OpenQASM or SVG instead.', 'error');
    ui.exportSvg.disabled = false;
    return;
  }
  clearSvg();
  switch (s.state) {
    case 'running':
    case 'queued': showEmpty('The circuit appears here when the compile finishes.'); break;
    case 'failed': showEmpty('The compile failed — see the error above.'); break;
    case 'invalid': showEmpty('Fix the errors in the file to compile this block.'); break;
    case 'cancelled': showEmpty('The compilation was cancelled. Press Compile to start it again.'); break;
    case 'done': showEmpty('No drawing was sent for this circuit. Export OpenQASM to see it.'); break;
    default: showEmpty('Not compiled yet — press Compile.');
  }
}

// ---------------------------------------------------------------------------------------------
// Messages.

function renderHeader(blockName: string, fileName: string): void {
  ui.blockName.textContent = blockName;
  ui.fileName.textContent = fileName ? `— ${fileName}` : '';
  document.title = `Circuit: ${blockName}`;
}

function render(msg: Extract<HostMessage, { type: 'update' }>): void {
  renderHeader(msg.ref.block, msg.fileName);
  const data = msg.data;
  ui.message.hidden = true;
  if (!data) {
    ui.state.textContent = 'not found';
    ui.state.className = 'badge';
    for (const e of [ui.method, ui.cached, ui.progress, ui.error, ui.numbers, ui.notes, ui.compareSection, ui.plotSection, ui.cancel]) e.hidden = true;
    ui.compile.hidden = true;
    ui.message.textContent = 'This block is no longer in the file (renamed or removed), or the file is closed.';
    ui.message.hidden = false;
    clearSvg();
    showEmpty('');
    ui.zoomGroup.hidden = true;
    for (const b of [ui.exportSvg, ui.exportQasm3, ui.exportQasm2]) b.disabled = true;
    return;
  }
  const s = data.status;
  const st = stateLabel(s);
  ui.state.textContent = st.text;
  ui.state.className = `badge ${st.cls}`;
  ui.method.textContent = s.method === 'aqc' ? 'AQC' : 'Trotter';
  ui.method.hidden = false;
  ui.cached.hidden = !(s.cached && s.state === 'done');
  const busy = s.state === 'running' || s.state === 'queued';
  ui.compile.disabled = busy || s.state === 'invalid';
  ui.compile.hidden = s.state === 'done'; // a done block is up to date: the server would not recompile it
  ui.cancel.hidden = !busy;
  renderProgress(s);
  ui.error.hidden = !s.error;
  ui.error.textContent = s.error ?? '';
  renderNumbers(s);
  const notes = s.notes ?? [];
  ui.notes.replaceChildren(...notes.map((n) => el('li', n)));
  ui.notes.hidden = notes.length === 0;
  renderCompare(s);
  renderPlot(data);
  renderCircuit(data);
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg = event.data as HostMessage | undefined;
  if (typeof msg !== 'object' || msg === null || typeof msg.type !== 'string') return;
  if (msg.type === 'update' && typeof msg.ref?.block === 'string') {
    render(msg);
  } else if (msg.type === 'error' && typeof msg.ref?.block === 'string') {
    renderHeader(msg.ref.block, msg.fileName);
    ui.message.textContent = String(msg.message);
    ui.message.hidden = false;
  }
});

// ---------------------------------------------------------------------------------------------
// Controls.

const post = (m: WebviewMessage) => vscode.postMessage(m);
ui.compile.addEventListener('click', () => post({ type: 'compile' }));
ui.cancel.addEventListener('click', () => post({ type: 'cancel' }));
ui.exportSvg.addEventListener('click', () => post({ type: 'export', format: 'svg' }));
ui.exportQasm3.addEventListener('click', () => post({ type: 'export', format: 'qasm3' }));
ui.exportQasm2.addEventListener('click', () => post({ type: 'export', format: 'qasm2' }));
ui.zoomIn.addEventListener('click', () => zoomTo(zoom * 1.25));
ui.zoomOut.addEventListener('click', () => zoomTo(zoom / 1.25));
ui.zoomReset.addEventListener('click', () => zoomTo(1));
ui.zoomFit.addEventListener('click', () => { fit = true; applyZoom(); ui.circuit.scrollLeft = 0; });
ui.circuit.addEventListener('wheel', (e: WheelEvent) => {
  if (!(e.ctrlKey || e.metaKey) || !drawing()) return;
  e.preventDefault();
  const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
  zoomTo(zoom * Math.exp(-dy * 0.002), e.clientX, e.clientY);
}, { passive: false });
ui.circuit.addEventListener('keydown', (e: KeyboardEvent) => {
  if (!drawing()) return;
  if (e.key === '+' || e.key === '=') zoomTo(zoom * 1.25);
  else if (e.key === '-') zoomTo(zoom / 1.25);
  else if (e.key === '0') zoomTo(1);
  else return;
  e.preventDefault();
});
new ResizeObserver(() => { if (fit) applyZoom(); }).observe(ui.circuit);

post({ type: 'ready' });
