// Wires the LSP connection to the language features. Knows nothing of VS Code.
import {
  type Connection, type InitializeResult, TextDocumentSyncKind, TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyses } from './analyses';
import { codeActions } from './code-actions';
import { complete } from './completion';
import { DiagnosticsPublisher } from './diagnostics';
import { hover } from './hover';
import { definition, prepareRename, references, rename } from './navigation';
import { documentSymbols, foldingRanges } from './outline';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Analyses();
  const diagnostics = new DiagnosticsPublisher(connection, documents, analyses);

  connection.onInitialize((): InitializeResult => ({
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['=', ' ', '['] },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
    },
    serverInfo: { name: 'qham-language-server', version: '0.1.0' },
  }));

  documents.onDidOpen((e) => diagnostics.schedule(e.document.uri));
  documents.onDidChangeContent((e) => diagnostics.schedule(e.document.uri));
  documents.onDidClose((e) => {
    analyses.forget(e.document.uri);
    diagnostics.clear(e.document.uri);
  });

  /** Runs a feature on the current analysis of a document, or returns `fallback` if it is not open. */
  const withDoc = <T>(uri: string, fallback: T, f: (doc: TextDocument) => T): T => {
    const doc = documents.get(uri);
    return doc ? f(doc) : fallback;
  };

  connection.onHover((p) => withDoc(p.textDocument.uri, null, (doc) => hover(doc, analyses.get(doc), doc.offsetAt(p.position))));
  connection.onCompletion((p) => withDoc(p.textDocument.uri, [], (doc) => complete(analyses.get(doc), doc.offsetAt(p.position))));
  connection.onDefinition((p) => withDoc(p.textDocument.uri, null, (doc) => definition(doc, analyses.get(doc), doc.offsetAt(p.position))));
  connection.onReferences((p) => withDoc(p.textDocument.uri, [], (doc) => references(doc, analyses.get(doc), doc.offsetAt(p.position), p.context.includeDeclaration)));
  connection.onPrepareRename((p) => withDoc(p.textDocument.uri, null, (doc) => prepareRename(doc, analyses.get(doc), doc.offsetAt(p.position))));
  connection.onRenameRequest((p) => withDoc(p.textDocument.uri, null, (doc) => rename(doc, analyses.get(doc), doc.offsetAt(p.position), p.newName)));
  connection.onDocumentSymbol((p) => withDoc(p.textDocument.uri, [], (doc) => documentSymbols(doc, analyses.get(doc))));
  connection.onFoldingRanges((p) => withDoc(p.textDocument.uri, [], (doc) => foldingRanges(doc, analyses.get(doc))));
  connection.onCodeAction((p) => withDoc(p.textDocument.uri, [], (doc) => codeActions(doc, analyses.get(doc), p.range)));

  documents.listen(connection);
  connection.listen();
}
