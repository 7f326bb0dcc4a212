#!/usr/bin/env bash
# Tools the tests need besides the engine: pnpm (pinned by package.json), Chromium for the deck's
# PDF export and browser test, poppler-utils to count PDF pages, fonts for readable slides.
# Idempotent: installs only what is missing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

t="$(bct_now)"
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$node_major" -ge 20 ] || bct_die "Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))"
bct_step "$t" "node: $(node --version)"

t="$(bct_now)"
want_pnpm="$(node -p 'require("./package.json").packageManager.split("@")[1]')"
if [ "$(pnpm --version 2>/dev/null || true)" = "$want_pnpm" ]; then
  bct_step "$t" "pnpm: already $want_pnpm"
else
  # corepack's download of pnpm fails its signature check here; npm's registry works.
  npm install -g "pnpm@$want_pnpm" >/var/log/bct-pnpm.log 2>&1 ||
    { tail -n 20 /var/log/bct-pnpm.log >&2; bct_die "npm install -g pnpm@$want_pnpm failed"; }
  bct_step "$t" "pnpm: installed $want_pnpm"
fi

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
