// textDocument/publishDiagnostics: after every change, for the newest version only. Changes that
// arrive before the analysis runs supersede it: one analysis serves them all.
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyses } from './analyses';
import { toLspDiagnostic } from './convert';

export class DiagnosticsPublisher {
  private readonly scheduled = new Set<string>();

  constructor(private readonly connection: Connection, private readonly documents: TextDocuments<TextDocument>, private readonly analyses: Analyses) {}

  schedule(uri: string): void {
    if (this.scheduled.has(uri)) return;
    this.scheduled.add(uri);
    // setImmediate runs after pending I/O: queued edits are applied first, so only the last is analysed.
    setImmediate(() => {
      this.scheduled.delete(uri);
      const doc = this.documents.get(uri);
      if (doc) this.publish(doc);
    });
  }

  publish(doc: TextDocument): void {
    const a = this.analyses.get(doc);
    void this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: a.diagnostics.map((d) => toLspDiagnostic(doc, d)) });
  }

  clear(uri: string): void {
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}
