// A fresh language server in a fresh temporary workspace, for the protocol tests of compilation:
// settings default to manual compiles and one worker; everything is disposed of afterwards.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerSettings } from '../../server/src/protocol';
import { LspClient, type StartOptions, fileUri } from './lsp-client';

export interface ServerWorkspace {
  client: LspClient;
  /** The temporary folder of this test; `ws` is the workspace folder inside it. */
  root: string;
  ws: string;
  cache: string;
  /** Writes `text` to ws/<name> and returns its URI. */
  file(name: string, text: string): string;
}

/** Runs `f` against a fresh server; a given `root` is reused and kept (to restart on the same cache). */
export async function withServer(settings: Partial<ServerSettings>, f: (c: ServerWorkspace) => Promise<void>, extra: Omit<StartOptions, 'initializationOptions'> & { root?: string } = {}): Promise<void> {
  const ownRoot = !extra.root;
  const root = extra.root ?? mkdtempSync(join(tmpdir(), 'qham-lsp-'));
  const ws = join(root, 'ws');
  const cache = join(root, 'cache');
  mkdirSync(ws, { recursive: true });
  let client: LspClient | undefined;
  try {
    ({ client } = await LspClient.start({
      ...extra,
      workspaceFolder: ws,
      initializationOptions: { compileOnType: false, compileOnSave: false, workers: 1, cacheFolder: cache, ...settings },
    }));
    const file = (name: string, text: string) => {
      const p = join(ws, name);
      writeFileSync(p, text);
      return fileUri(p);
    };
    await f({ client, root, ws, cache, file });
  } finally {
    await client?.dispose();
    if (ownRoot) rmSync(root, { recursive: true, force: true });
  }
}
