// The VS Code client: starts the QHam language server and wires the client-side pieces together —
// settings (settings.ts), commands (commands.ts), the status bar (status-bar.ts) and the circuit
// view (circuit-view/). Thin by design: every language feature lives in the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { fileStatusNotification } from '../../server/src/protocol';
import { CircuitViews } from './circuit-view/panel';
import { QHamActions, registerCommands } from './commands';
import { SECTION, offerRestartOnWorkersChange, readServerSettings } from './settings';
import { QHamStatusBar, StatusStore } from './status-bar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6012'] } },
  };
  const output = vscode.window.createOutputChannel('QHam Language Server');
  const log = (msg: string) => output.appendLine(msg);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'qham' }, { scheme: 'untitled', language: 'qham' }],
    outputChannel: output,
    // Read again at every (re)start, so a restart picks up changed settings.
    initializationOptions: () => readServerSettings(context, log),
    synchronize: { configurationSection: SECTION },
  };
  const lc = new LanguageClient('qham', 'QHam Language Server', serverOptions, clientOptions);
  client = lc;

  const store = new StatusStore();
  const statusBar = new QHamStatusBar(store);
  const actions = new QHamActions(lc, store);
  const views = new CircuitViews(context.extensionUri, lc, actions, log);
  context.subscriptions.push(output, store, statusBar, views);

  lc.onNotification(fileStatusNotification, (fs) => store.update(fs));
  context.subscriptions.push(
    store.onDidChange((fs) => views.onFileStatus(fs)),
    vscode.workspace.onDidCloseTextDocument((doc) => store.delete(doc.uri.toString())),
    lc.onDidChangeState((e) => {
      statusBar.setServerStopped(e.newState === State.Stopped);
      if (e.newState === State.Running) views.refreshAll();
    }),
  );

  const restart = async () => {
    store.clear(); // the new server re-sends every open file's status
    await lc.restart();
    void vscode.window.setStatusBarMessage('QHam: language server restarted', 3000);
  };
  registerCommands(context, actions, views, restart);
  context.subscriptions.push(offerRestartOnWorkersChange(restart));
  await lc.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
