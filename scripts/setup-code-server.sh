#!/usr/bin/env bash
# Installs code-server (a real VS Code: 1.100.3) into .cache/code-server/ for the end-to-end test
# (test/e2e/vscode.test.ts). Idempotent: exits at once when the right version is already there.
# Works offline with only the npm registry: see docs in /work/shared/recipes/vscode-e2e.md.
#
# System packages it needs (installed by .ci/run; not installed here):
#   apt-get install -y --no-install-recommends libkrb5-dev ripgrep chromium fonts-dejavu-core
#
# Prints the path of the code-server binary on its last line of stdout.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${QHAM_CODE_SERVER_DIR:-$ROOT/.cache/code-server}"
PKG="$DIR/node_modules/code-server"
BIN="$PKG/out/node/entry.js"
RIPGREP_CACHE_NAME="vscode-ripgrep-cache-1.15.11"
RIPGREP_TARBALL="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"

installed_version() {
  [ -f "$BIN" ] && [ -f "$PKG/package.json" ] || return 1
  node -p 'require(process.argv[1]).version' "$PKG/package.json" 2>/dev/null
}

# Fast path: already installed with the right version (and the install finished: see the marker).
if [ "$(installed_version || true)" = "$VERSION" ] && [ -f "$DIR/.installed-$VERSION" ]; then
  echo "code-server $VERSION already installed in $DIR" >&2
  echo "$BIN"
  exit 0
fi

# Prerequisites: check, explain, do not install.
missing=()
command -v rg >/dev/null 2>&1 || missing+=("ripgrep (the 'rg' command; pre-seeds @vscode/ripgrep, which would download from GitHub)")
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=("chromium (/usr/bin/chromium; the test drives VS Code with it)")
[ -f /usr/include/gssapi/gssapi.h ] || missing+=("libkrb5-dev (/usr/include/gssapi/gssapi.h; code-server's kerberos module builds from source)")
command -v npm >/dev/null 2>&1 || missing+=("npm")
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-code-server: missing prerequisites:" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  echo "Install them with (as root):" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends libkrb5-dev ripgrep chromium fonts-dejavu-core" >&2
  exit 2
fi

echo "setup-code-server: installing code-server $VERSION into $DIR (about a minute)…" >&2
mkdir -p "$DIR"
rm -f "$DIR"/.installed-*

# A private TMPDIR holding the ripgrep cache, so @vscode/ripgrep's postinstall finds "its download".
TMP="$DIR/.tmp"
rm -rf "$TMP"
mkdir -p "$TMP/$RIPGREP_CACHE_NAME" "$TMP/rg-bin"
cp "$(command -v rg)" "$TMP/rg-bin/rg"
tar czf "$TMP/$RIPGREP_CACHE_NAME/$RIPGREP_TARBALL" -C "$TMP/rg-bin" rg

# A package.json of its own, so npm installs here and not into the extension's node_modules.
if [ ! -f "$DIR/package.json" ]; then
  printf '{\n  "name": "qham-e2e-code-server",\n  "private": true,\n  "description": "code-server for the QHam end-to-end test (scripts/setup-code-server.sh)"\n}\n' > "$DIR/package.json"
fi

cd "$DIR"
# npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which would otherwise wait for a "yes".
TMPDIR="$TMP" npm_config_yes=true npm install "code-server@$VERSION" \
  --unsafe-perm --foreground-scripts --no-audit --no-fund --loglevel=error >&2

got="$(installed_version || true)"
if [ "$got" != "$VERSION" ]; then
  echo "setup-code-server: install finished but $BIN is missing or has version '${got:-none}'" >&2
  exit 1
fi
rm -rf "$TMP"
touch "$DIR/.installed-$VERSION"
echo "setup-code-server: code-server $VERSION ready" >&2
echo "$BIN"
