// Wires the LSP connection to the language features. Knows nothing of VS Code.
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeLensRefreshRequest, type Connection, type InitializeResult, TextDocumentSyncKind, TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkerPool } from '../jobs/pool';
import { ResultCache } from '../jobs/result-cache';
import { COMPILE_MEMORY_MB_RANGE, DEFAULT_SETTINGS, type ServerSettings, cancelRequest, circuitViewRequest, compileRequest, exportRequest, serverStatsRequest } from '../protocol';
import { codeLenses } from './code-lens';
import { CompileManager } from './compile-manager';
import { circuitView, exportBlock } from './compile-requests';
import { Analyses } from './analyses';
import { codeActions } from './code-actions';
import { complete } from './completion';
import { DiagnosticsPublisher } from './diagnostics';
import { hover } from './hover';
import { definition, prepareRename, references, rename } from './navigation';
import { documentSymbols, foldingRanges } from './outline';

export interface ServerOptions {
  /** The bundled compile worker (dist/worker.js beside dist/server.js). */
  workerScript: string;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Analyses();
  let settings: ServerSettings = { ...DEFAULT_SETTINGS };
  let workspaceFolders: string[] = [];
  let lensRefresh = false;
  let manager: CompileManager | undefined;
  let pool: WorkerPool | undefined;
  const diagnostics = new DiagnosticsPublisher(connection, documents, analyses, (uri) => manager?.diagnostics(uri) ?? [], (doc, a) => manager?.update(doc.uri, doc.version, a));

  connection.onInitialize((params): InitializeResult => {
    settings = readSettings(params.initializationOptions);
    workspaceFolders = (params.workspaceFolders ?? []).flatMap((f) => (f.uri.startsWith('file:') ? [fileURLToPath(f.uri)] : []));
    if (!workspaceFolders.length && params.rootUri?.startsWith('file:')) workspaceFolders = [fileURLToPath(params.rootUri)];
    lensRefresh = Boolean(params.capabilities.workspace?.codeLens?.refreshSupport);
    const size = settings.workers > 0 ? settings.workers : Math.max(1, cpus().length - 1);
    // The workers' heap limit follows the compile memory limit: a compile the manager admits fits.
    pool = new WorkerPool({ size, script: options.workerScript, maxHeapMb: settings.maxCompileMemoryMB });
    manager = new CompileManager({
      connection,
      pool,
      cache: new ResultCache(settings.cacheFolder),
      settings: () => settings,
      workspaceFolders: () => workspaceFolders,
      republish: (uri) => diagnostics.schedule(uri),
      refreshLenses: () => { if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined); },
      workDoneProgress: Boolean(params.capabilities.window?.workDoneProgress),
    });
    return initializeResult();
  });
  const initializeResult = (): InitializeResult => ({
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
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'qham-language-server', version: '0.1.0' },
  });

  documents.onDidOpen((e) => diagnostics.schedule(e.document.uri));
  documents.onDidChangeContent((e) => diagnostics.schedule(e.document.uri));
  documents.onDidClose((e) => {
    analyses.forget(e.document.uri);
    diagnostics.clear(e.document.uri);
    manager?.close(e.document.uri);
  });
  documents.onDidSave((e) => manager?.saved(e.document.uri));
  connection.onDidChangeConfiguration((p) => {
    const next = (p.settings as { qham?: unknown } | undefined)?.qham;
    if (!next) return;
    const before = settings;
    settings = readSettings({ ...settings, ...(next as object) });
    if (settings.maxCompileMemoryMB !== before.maxCompileMemoryMB) {
      pool?.setMaxHeapMb(settings.maxCompileMemoryMB);
      manager?.settingsChanged();
    }
  });
  connection.onShutdown(async () => {
    diagnostics.dispose();
    manager?.dispose();
    await pool?.dispose();
  });

  /** Runs a feature on the current analysis of a document, or returns `fallback` if it is not open. */
  const withDoc = <T>(uri: string, fallback: T, f: (doc: TextDocument) => T): T => {
    const doc = documents.get(uri);
    return doc ? f(doc) : fallback;
  };

  connection.onHover((p) => withDoc(p.textDocument.uri, null, (doc) => hover(doc, analyses.get(doc), doc.offsetAt(p.position), (name) => manager?.entry(doc.uri, name))));
  connection.onCompletion((p) => withDoc(p.textDocument.uri, [], (doc) => complete(analyses.get(doc), doc.offsetAt(p.position))));
  connection.onDefinition((p) => withDoc(p.textDocument.uri, null, (doc) => definition(doc, analyses.get(doc), doc.offsetAt(p.position))));
  connection.onReferences((p) => withDoc(p.textDocument.uri, [], (doc) => references(doc, analyses.get(doc), doc.offsetAt(p.position), p.context.includeDeclaration)));
  connection.onPrepareRename((p) => withDoc(p.textDocument.uri, null, (doc) => prepareRename(doc, analyses.get(doc), doc.offsetAt(p.position))));
  connection.onRenameRequest((p) => withDoc(p.textDocument.uri, null, (doc) => rename(doc, analyses.get(doc), doc.offsetAt(p.position), p.newName)));
  connection.onDocumentSymbol((p) => withDoc(p.textDocument.uri, [], (doc) => documentSymbols(doc, analyses.get(doc))));
  connection.onFoldingRanges((p) => withDoc(p.textDocument.uri, [], (doc) => foldingRanges(doc, analyses.get(doc))));
  connection.onCodeAction((p) => withDoc(p.textDocument.uri, [], (doc) => codeActions(doc, analyses.get(doc), p.range)));
  connection.onCodeLens((p) => withDoc(p.textDocument.uri, [], (doc) => codeLenses(doc, analyses.get(doc), manager?.statuses(doc.uri) ?? [])));
  connection.onRequest(compileRequest, (p) => ({ queued: manager?.compile(p.uri, p.block) ?? [] }));
  connection.onRequest(serverStatsRequest, () => ({
    workersStarted: pool?.started ?? 0, workersLive: pool?.live ?? 0, busy: pool?.busy ?? 0, queued: pool?.queued ?? 0,
    jobsSubmitted: manager?.jobsSubmitted ?? 0, jobsCancelled: manager?.jobsCancelled ?? 0, cacheHits: manager?.cacheHits ?? 0,
  }));
  connection.onRequest(cancelRequest, (p) => ({ cancelled: manager?.cancel(p.uri, p.block) ?? 0 }));
  connection.onRequest(circuitViewRequest, (p) => (manager ? circuitView(manager, p) : null));
  connection.onRequest(exportRequest, (p) => (manager ? exportBlock(manager, p) : null) as never);

  documents.listen(connection);
  connection.listen();
}

function readSettings(o: unknown): ServerSettings {
  const x = (o ?? {}) as Partial<ServerSettings>;
  return {
    compileOnType: typeof x.compileOnType === 'boolean' ? x.compileOnType : DEFAULT_SETTINGS.compileOnType,
    compileOnSave: typeof x.compileOnSave === 'boolean' ? x.compileOnSave : DEFAULT_SETTINGS.compileOnSave,
    workers: typeof x.workers === 'number' && Number.isInteger(x.workers) && x.workers >= 0 && x.workers <= 64 ? x.workers : DEFAULT_SETTINGS.workers,
    maxCompileMemoryMB: typeof x.maxCompileMemoryMB === 'number' && Number.isFinite(x.maxCompileMemoryMB)
      ? Math.min(COMPILE_MEMORY_MB_RANGE.max, Math.max(COMPILE_MEMORY_MB_RANGE.min, Math.round(x.maxCompileMemoryMB)))
      : DEFAULT_SETTINGS.maxCompileMemoryMB,
    cacheFolder: typeof x.cacheFolder === 'string' && x.cacheFolder ? x.cacheFolder : undefined,
  };
}

/** The worker script bundled beside the server. */
export function defaultWorkerScript(serverDir: string): string {
  return join(serverDir, 'worker.js');
}
