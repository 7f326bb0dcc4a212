# Shared shell helpers for the CI scripts (.ci/install-engine.sh,
# .ci/build-standins.sh, .ci/start-registry.sh). Source it; it defines functions
# and a few variables only.
#
# Nothing here names a package-mirror host: the mirror is read from the
# machine's own apt sources.

BCT_CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BCT_REPO_ROOT="$(cd "$BCT_CI_DIR/.." && pwd)"
# Debs and rootfs tarballs are cached here so reruns do not download again.
BCT_CACHE_DIR="${BCT_CACHE_DIR:-/var/cache/bct-standins}"
BCT_REGISTRY_ADDR="${BCT_REGISTRY_ADDR:-127.0.0.1:5000}"
# Files of the official images (Alpine's minirootfs, hello-world's binaries), beside the clone in CI.
BCT_UPSTREAM_DIR="${BCT_UPSTREAM_DIR:-$BCT_REPO_ROOT/../shared/upstream}"
# The CI's own tools (Node 24, the Debian docker CLI) go first on PATH through this folder.
BCT_BIN_DIR="${BCT_BIN_DIR:-/opt/bct/bin}"

export DEBIAN_FRONTEND=noninteractive

# Seconds since the epoch with milliseconds, for step timings.
bct_now() { date +%s.%N; }

# bct_elapsed START -> "1.2s"
bct_elapsed() { awk -v s="$1" -v e="$(bct_now)" 'BEGIN { printf "%.1fs", e - s }'; }

# bct_step START "message": one line per step, with how long the step took.
bct_step() { printf '%s (%s)\n' "$2" "$(bct_elapsed "$1")"; }

bct_die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# The Debian mirror URI of this machine, from its apt sources (deb822 first,
# then one-line format). Security suites are skipped.
bct_mirror() {
  local uri=""
  if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
    uri="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list.d/*.sources | head -n1)"
  fi
  if [ -z "$uri" ]; then
    uri="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($i !~ /security/) { print $i; exit } } }' | head -n1)"
  fi
  [ -n "$uri" ] || bct_die "no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
  printf '%s\n' "${uri%/}"
}

# A private apt state per Debian suite (trixie = Debian 13, forky = testing), so the machine's own
# apt (Debian 12) is left untouched and never resolves anything against a newer suite (that would
# upgrade libc). With "multiarch", lists for amd64, arm64 and armhf are fetched into a second state,
# for downloading foreign-architecture .debs without `dpkg --add-architecture`.
#   bct_suite_opts SUITE [multiarch] -> prints the apt -o options (one per line)
bct_suite_dirs() { # SUITE [multiarch] -> "STATE ETC"
  local tag="$1"
  [ "${2:-}" = multiarch ] && tag="$1-multiarch"
  printf '/var/lib/bct-%s /etc/bct-%s\n' "$tag" "$tag"
}
bct_suite_opts() {
  local state etc
  read -r state etc < <(bct_suite_dirs "$@")
  printf '%s\n' -o "Dir::State=$state" -o "Dir::Cache=$state/cache" \
    -o "Dir::Etc::SourceList=$etc/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
  if [ "${2:-}" = multiarch ]; then
    printf '%s\n' -o APT::Architecture=amd64 -o APT::Architectures::=amd64 \
      -o APT::Architectures::=arm64 -o APT::Architectures::=armhf
  fi
}

# bct_suite_update SUITE [multiarch]: write the sources list and run apt-get update
# for the private state (at most once per hour unless BCT_FORCE_UPDATE=1).
bct_suite_update() {
  local suite="$1" kind="${2:-}" state etc mirror
  read -r state etc < <(bct_suite_dirs "$suite" "$kind")
  mirror="$(bct_mirror)"
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$etc"
  local line="deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main"
  if [ "$(cat "$etc/sources.list" 2>/dev/null)" != "$line" ]; then
    printf '%s\n' "$line" >"$etc/sources.list"
    rm -f "$state/.bct-updated"
  fi
  if [ "${BCT_FORCE_UPDATE:-0}" != 1 ] && [ -n "$(find "$state/.bct-updated" -mmin -60 2>/dev/null)" ]; then
    return 0
  fi
  local opts; mapfile -t opts < <(bct_suite_opts "$suite" "$kind")
  apt-get "${opts[@]}" -q update >"$state/update.log" 2>&1 ||
    { tail -n 20 "$state/update.log" >&2; bct_die "apt-get update for $suite ($kind) failed"; }
  touch "$state/.bct-updated"
}

# bct_suite_download SUITE [multiarch] DEST PKG[:ARCH]...: download .debs from SUITE into DEST
# (kept as a cache; already-present files are not fetched again).
bct_suite_download() {
  local suite="$1" kind=""; shift
  if [ "$1" = multiarch ]; then kind=multiarch; shift; fi
  local dest="$1"; shift
  mkdir -p "$dest"
  # apt drops privileges to _apt for downloads; let it write there.
  if id _apt >/dev/null 2>&1; then chown _apt "$dest"; fi
  bct_suite_update "$suite" "$kind"
  local opts; mapfile -t opts < <(bct_suite_opts "$suite" "$kind")
  (cd "$dest" && apt-get "${opts[@]}" -q download "$@" >"$dest/download.log" 2>&1) ||
    { tail -n 20 "$dest/download.log" >&2; bct_die "apt-get download from $suite: $* failed"; }
}

# Debian 13 packages for the stand-ins' contents.
bct_trixie_download() { bct_suite_download trixie "$@"; }

# bct_deb_file DIR PKG ARCH -> path of the newest downloaded .deb for PKG/ARCH
bct_deb_file() {
  local f
  f="$(ls -1 "$1/$2"_*_"$3".deb 2>/dev/null | sort -V | tail -n1)"
  [ -n "$f" ] || bct_die "no $2 .deb for $3 in $1"
  printf '%s\n' "$f"
}

# Is the Docker engine answering?
bct_engine_up() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
