// The circuit view's host: one webview panel per evolve block, beside the editor, kept alive when
// hidden. It asks the server for `qham/circuitView` when opened and again whenever a
// `qham/fileStatus` changes its block (at most 4 requests a second, one at a time, none while the
// panel is hidden), and acts on the page's messages only after validating them.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { type BlockRef, type FileStatus, circuitViewRequest } from '../../../server/src/protocol';
import { type ExportFormat, type HostMessage, makeNonce, parseWebviewMessage, renderHtml } from './html';

export const VIEW_TYPE = 'qham.circuitView';
const MIN_INTERVAL_MS = 250; // ≤ 4 requests per second per panel

export interface CircuitViewActions {
  compile(ref: BlockRef): Promise<void>;
  cancel(ref: BlockRef): Promise<void>;
  exportBlock(ref: BlockRef, format: ExportFormat): Promise<void>;
}

const keyOf = (ref: BlockRef) => `${ref.uri}#${ref.block}`;

function fileNameOf(uri: string): string {
  try {
    const p = vscode.Uri.parse(uri).path;
    return p.slice(p.lastIndexOf('/') + 1);
  } catch {
    return '';
  }
}

class CircuitPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private pending = false;
  private dirty = false;
  private lastStart = 0;
  private lastStatus: string | undefined;
  private lastMessage: HostMessage | undefined;
  private disposed = false;

  constructor(
    readonly ref: BlockRef,
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly actions: CircuitViewActions,
    private readonly log: (msg: string) => void,
    onDispose: () => void,
  ) {
    const webview = panel.webview;
    webview.html = renderHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      nonce: makeNonce(),
      title: `Circuit: ${ref.block}`,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.dirty) this.schedule();
      }),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  /** A FileStatus for this panel's file arrived: refresh when this block's status changed. */
  onFileStatus(fs: FileStatus): void {
    const status = JSON.stringify(fs.blocks.find((b) => b.block === this.ref.block) ?? null);
    if (status === this.lastStatus) return;
    this.lastStatus = status;
    this.schedule();
  }

  /** Requests fresh data soon: leading edge, then at most one request per MIN_INTERVAL_MS, never two at once. */
  schedule(): void {
    if (this.disposed) return;
    if (!this.panel.visible) { this.dirty = true; return; }
    this.dirty = false;
    if (this.inFlight) { this.pending = true; return; }
    if (this.timer) return;
    const wait = Math.max(0, this.lastStart + MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => { this.timer = undefined; void this.fetch(); }, wait);
  }

  private async fetch(): Promise<void> {
    if (this.disposed) return;
    this.inFlight = true;
    this.lastStart = Date.now();
    const fileName = fileNameOf(this.ref.uri);
    try {
      const data = await this.client.sendRequest(circuitViewRequest, this.ref);
      this.post({ type: 'update', ref: this.ref, fileName, data: data ?? null });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.post({ type: 'error', ref: this.ref, fileName, message: `Could not get the circuit from the language server: ${message}` });
    } finally {
      this.inFlight = false;
      if (this.pending) { this.pending = false; this.schedule(); }
    }
  }

  private post(msg: HostMessage): void {
    if (this.disposed) return;
    this.lastMessage = msg;
    void this.panel.webview.postMessage(msg);
  }

  private onMessage(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.log(`circuit view: ignored an invalid message from the webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        // The page (re)loaded: give it what it missed, then fresh data.
        if (this.lastMessage) void this.panel.webview.postMessage(this.lastMessage);
        this.schedule();
        break;
      case 'refresh': this.schedule(); break;
      case 'compile': void this.actions.compile(this.ref); break;
      case 'cancel': void this.actions.cancel(this.ref); break;
      case 'export': void this.actions.exportBlock(this.ref, msg.format); break;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** All open circuit views, keyed by block. */
export class CircuitViews implements vscode.Disposable {
  private readonly panels = new Map<string, CircuitPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    private readonly actions: CircuitViewActions,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  /** Opens the block's view beside the editor, or reveals it. */
  show(ref: BlockRef): void {
    const key = keyOf(ref);
    const open = this.panels.get(key);
    if (open) {
      open.panel.reveal(undefined, true);
      open.schedule();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      `Circuit: ${ref.block}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        enableCommandUris: false,
        enableForms: false,
        retainContextWhenHidden: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')],
      },
    );
    const view = new CircuitPanel(ref, panel, this.extensionUri, this.client, this.actions, this.log, () => this.panels.delete(key));
    this.panels.set(key, view);
    view.schedule();
  }

  onFileStatus(fs: FileStatus): void {
    for (const view of this.panels.values()) if (view.ref.uri === fs.uri) view.onFileStatus(fs);
  }

  /** After a server (re)start: every view asks again. */
  refreshAll(): void {
    for (const view of this.panels.values()) view.schedule();
  }

  dispose(): void {
    for (const view of [...this.panels.values()]) view.panel.dispose();
    this.panels.clear();
  }
}
