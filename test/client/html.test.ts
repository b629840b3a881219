// The circuit view's page and message contract: a strict CSP with a fresh nonce, no inline handlers,
// nothing from the user's file in the markup unescaped, and only well-formed webview messages accepted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, escapeHtml, makeNonce, parseWebviewMessage, renderHtml } from '../../client/src/circuit-view/html';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

test('the page has a strict CSP whose nonce is on its only style and script, and no inline handlers', () => {
  const nonce = makeNonce();
  assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  assert.notEqual(makeNonce(), nonce, 'a fresh nonce per load');
  const html = renderHtml({ cspSource: CSP_SOURCE, scriptUri: `${CSP_SOURCE}/ext/dist/webview.js`, nonce, title: 'Circuit: x' });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.equal(csp, `default-src 'none'; img-src ${CSP_SOURCE} data:; style-src ${CSP_SOURCE} 'nonce-${nonce}'; script-src 'nonce-${nonce}';`);
  assert.equal(contentSecurityPolicy(CSP_SOURCE, nonce), csp);
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(scripts, [` nonce="${nonce}" src="${CSP_SOURCE}/ext/dist/webview.js"`]);
  const styles = [...html.matchAll(/<style\b([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(styles, [` nonce="${nonce}"`]);
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /\sstyle\s*=/i, 'no style attributes (the CSP would refuse them)');
  assert.doesNotMatch(html, /javascript:/i);
});

test('the title is escaped', () => {
  const html = renderHtml({ cspSource: CSP_SOURCE, scriptUri: 'x.js', nonce: 'n', title: 'Circuit: </title><script>alert(1)</script>' });
  assert.ok(html.includes('<title>Circuit: &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>'));
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});

test('webview messages are accepted only in their exact shapes', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'refresh' }), { type: 'refresh' });
  assert.deepEqual(parseWebviewMessage({ type: 'compile' }), { type: 'compile' });
  assert.deepEqual(parseWebviewMessage({ type: 'cancel' }), { type: 'cancel' });
  for (const format of ['svg', 'qasm3', 'qasm2', 'json']) {
    assert.deepEqual(parseWebviewMessage({ type: 'export', format }), { type: 'export', format });
  }
  for (const bad of [
    null, undefined, 'ready', 42, [], ['ready'], {}, { type: 'READY' }, { type: 'open', path: '/etc/passwd' },
    { type: 'export' }, { type: 'export', format: 'exe' }, { type: 'export', format: ['svg'] },
    { type: 'export', format: 'svg', path: '/tmp/x' }, { type: 'compile', uri: 'file:///x', block: 'b' },
    { type: 'ready', extra: 1 }, { type: { toString: () => 'ready' } },
  ]) {
    assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
  }
});
