// Entry point of the bundled language server (stdio or IPC, chosen by the client's arguments).
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './lsp/connection';

startServer(createConnection(ProposedFeatures.all));
