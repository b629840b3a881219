// The live progress line of `qham compile` on a terminal: one line on stderr, redrawn in place
// (carriage return + clear to end of line) at most ~12 times a second, cleared when a block is done.
import type { CompileProgress } from '../engine/compile/types';
import { formatFidelity } from './table';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 80;

/** `[██████░░░░]` for done/total (clamped). */
export function bar(done: number, total: number, width = 20): string {
  const f = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const full = Math.round(f * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}]`;
}

/** The text after the block name for one progress report. */
export function describeProgress(p: CompileProgress): string {
  switch (p.phase) {
    case 'target':
      return p.steps > 0 && p.step > 0 ? `target   ${bar(p.step, p.steps)} step ${p.step}/${p.steps}  ${p.message}` : `target   ${p.message}`;
    case 'optimize':
      return `optimize ${bar(p.iteration, p.maxIterations)} iteration ${p.iteration}/${p.maxIterations}  layers ${p.layers}  F ${formatFidelity(p.fidelity)}`;
    case 'compare':
      return `Trotter  ${p.message}`;
    case 'trotter':
      return `Trotter  ${p.message}`;
  }
}

export class ProgressLine {
  private label = '';
  private phase = '';
  private text = '';
  private shown = false;
  private frame = 0;
  private started = 0;
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  /** Inactive (every call a no-op) unless `enabled`, which callers set only for a TTY without --quiet. */
  constructor(private readonly stream: NodeJS.WriteStream, private readonly enabled: boolean) {}

  /** Starts a block: the line shows `label`, then each report, with a spinner and the elapsed time. */
  start(label: string): void {
    if (!this.enabled) return;
    this.label = label;
    this.text = 'starting';
    this.phase = '';
    this.started = Date.now();
    this.draw();
    this.timer = setInterval(() => this.draw(), FRAME_MS * 2);
    this.timer.unref();
  }

  update(p: CompileProgress | string): void {
    if (!this.enabled) return;
    this.text = typeof p === 'string' ? p : describeProgress(p);
    const phase = typeof p === 'string' ? p : p.phase;
    // A new phase shows at once; reports within a phase at most every FRAME_MS.
    if (phase !== this.phase || Date.now() - this.last >= FRAME_MS) this.draw();
    this.phase = phase;
  }

  /** Removes the line (before printing anything else), stopping the redraw timer. */
  clear(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.enabled && this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }

  private draw(): void {
    this.last = Date.now();
    this.frame = (this.frame + 1) % SPINNER.length;
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    let line = `${SPINNER[this.frame]} ${this.label}  ${this.text}  ${secs} s`;
    const cols = this.stream.columns && this.stream.columns > 10 ? this.stream.columns - 1 : 119;
    if ([...line].length > cols) line = `${[...line].slice(0, cols - 1).join('')}…`;
    this.stream.write(`\r\x1b[K${line}`);
    this.shown = true;
  }
}
