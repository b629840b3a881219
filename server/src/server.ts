// Entry point of the bundled language server (stdio or IPC, chosen by the client's arguments).
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { defaultWorkerScript, startServer } from './lsp/connection';

startServer(createConnection(ProposedFeatures.all), { workerScript: defaultWorkerScript(__dirname) });
