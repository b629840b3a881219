// textDocument/publishDiagnostics: after every change, for the newest version only. Changes that
// arrive before the analysis runs supersede it: one analysis serves them all.
//
// The JSON-RPC layer hands over one queued message per event-loop turn, so an analysis scheduled
// with setImmediate would run between two queued edits. A short timer, restarted by every
// change, lets a burst of queued edits be applied first; typing is far slower than this.
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../lang/analyze';
import type { Diagnostic } from '../lang/diagnostics';
import type { Analyses } from './analyses';
import { toLspDiagnostic } from './convert';

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Milliseconds to wait for more queued edits before analysing. */
  static readonly SETTLE_MS = 1;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly analyses: Analyses,
    /** Diagnostics the compiler adds (goal missed, compile failed, output refused). */
    private readonly extra: (uri: string) => Diagnostic[] = () => [],
    /** Told about every new analysis (the compile manager syncs its blocks). */
    private readonly analysed: (doc: TextDocument, a: Analysis) => void = () => {},
  ) {}

  schedule(uri: string): void {
    if (this.disposed) return;
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      const doc = this.documents.get(uri);
      if (doc) this.publish(doc);
    }, DiagnosticsPublisher.SETTLE_MS));
  }

  private lastAnalysis = new Map<string, Analysis>();

  publish(doc: TextDocument): void {
    const a = this.analyses.get(doc);
    const fresh = this.lastAnalysis.get(doc.uri) !== a;
    this.lastAnalysis.set(doc.uri, a);
    const before = this.extra(doc.uri);
    void this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [...a.diagnostics, ...before].map((d) => toLspDiagnostic(doc, d)) });
    if (!fresh) return;
    // The compile manager syncs its blocks after the diagnostics are out (it hashes every block's
    // inputs, which must not delay them); if that changes its own diagnostics, they follow at once.
    setImmediate(() => {
      if (this.lastAnalysis.get(doc.uri) !== a || this.documents.get(doc.uri)?.version !== doc.version) return;
      this.analysed(doc, a);
      const after = this.extra(doc.uri);
      if (JSON.stringify(after) !== JSON.stringify(before)) this.schedule(doc.uri);
    });
  }

  /** On shutdown: pending analyses are dropped (a timer left behind would run after the compile manager is gone). */
  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.lastAnalysis.clear();
    this.disposed = true;
  }

  private disposed = false;

  clear(uri: string): void {
    this.lastAnalysis.delete(uri);
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}
