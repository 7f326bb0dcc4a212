#!/usr/bin/env bash
# Build the stand-in images listed in standins/images.json, in that order
# (bases first), under their upstream names. Tests only: the attendee path
# always uses the real upstream images.
#
# Each image is labelled bct.standin=true and bct.standin.recipe=<hash>, where
# the hash covers the recipe folder's files, the build args, the platforms,
# the recipe labels of the stand-ins it is built FROM, and (for rootfs
# recipes) the mirror. A rerun skips an image whose label already matches.
# A stand-in whose images.json entry records the upstream image's uncompressed
# size also gets bct.standin.size-like-upstream=true (see standins/README.md).
#
# Recipe kinds (standins/<recipe>/):
#   rootfs.sh + changes  -> rootfs.sh OUT.tar makes a root filesystem (cached
#                           under $BCT_CACHE_DIR/rootfs), then `docker import`
#                           with one --change per line of `changes`.
#   Dockerfile [+ prepare.sh] -> the folder is copied to a build context,
#                           prepare.sh CONTEXT runs there (env: build args,
#                           BCT_LIB), then `docker buildx build --load`.
#   upstreamFiles (images.json) -> a folder of $BCT_UPSTREAM_DIR whose files (checked against its
#                           SHA256SUMS) the image is made of: prepare.sh gets it as UPSTREAM_DIR,
#                           its hashes go into the recipe hash, and the image is labelled
#                           bct.standin.content=upstream-files. Without the folder, UPSTREAM_DIR is
#                           empty, prepare.sh builds the model, and one line says so.
#                           prepare.sh may narrow the platforms by writing CONTEXT/.platforms.
#   check.sh (optional, any kind) -> check.sh REF PLATFORMS smoke-tests the
#                           new image; on failure the image is removed.
#
# Needs: a running engine (.ci/install-engine.sh). Then .ci/start-registry.sh.
# Usage: build-standins.sh [REF...]   (default: all, in images.json order)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FORMAT=1 # bump to force a rebuild of every stand-in
STANDINS="$BCT_REPO_ROOT/standins"
LIST="$STANDINS/images.json"
T0="$(bct_now)"

bct_engine_up || bct_die "no Docker engine answering; run .ci/install-engine.sh first"
# One build at a time on a machine (they share $BCT_CACHE_DIR and the tags).
mkdir -p "$BCT_CACHE_DIR"
exec 9>"$BCT_CACHE_DIR/.build.lock"
if ! flock -n 9; then
  echo "stand-ins: another build-standins.sh is running; waiting for it"
  flock 9
fi
jq -e 'type == "array"' "$LIST" >/dev/null || bct_die "$LIST is not a JSON array"
mkdir -p "$BCT_CACHE_DIR/ctx" "$BCT_CACHE_DIR/rootfs" "$BCT_CACHE_DIR/logs"

MIRROR="$(bct_mirror)"
declare -A IN_LIST=()
while read -r r; do IN_LIST["$r"]=1; done < <(jq -r '.[].ref' "$LIST")

# Recipe labels of images ("" if missing). memo_label REF (in this shell, not
# in a $(...)) asks the engine once; label_of REF answers from that memo.
declare -A LABEL_MEMO=()
memo_label() {
  LABEL_MEMO["$1"]="$(docker image inspect --format '{{index .Config.Labels "bct.standin.recipe"}}' "$1" 2>/dev/null || true)"
}
label_of() {
  if [ -n "${LABEL_MEMO[$1]+set}" ]; then printf '%s\n' "${LABEL_MEMO[$1]}"; return; fi
  docker image inspect --format '{{index .Config.Labels "bct.standin.recipe"}}' "$1" 2>/dev/null || true
}

# Stand-ins a Dockerfile is built FROM (only those in images.json count).
bases_of() {
  local f="$1/Dockerfile"
  [ -f "$f" ] || return 0
  awk 'toupper($1) == "FROM" { for (i = 2; i <= NF; i++) if ($i !~ /^--/) { print $i; break } }' "$f" |
    while read -r b; do [ -n "${IN_LIST[$b]:-}" ] && echo "$b"; done | sort -u || true
}

# Checksums of a recipe's files, except check.sh (a check is not part of what
# is built; changing it must not rebuild a stand-in and everything FROM it).
# With "rootfs", also except `changes` (import settings, not the rootfs).
recipe_files() {
  local skip='^[.]/check[.]sh$'
  [ "${2:-}" = rootfs ] && skip='^[.]/(check[.]sh|changes)$'
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) |
    awk -v skip="$skip" '$2 !~ skip'
}

# Key of a cached rootfs tarball: only what goes into the rootfs.
rootfs_key() { # recipe_dir buildargs_json
  { echo "format $FORMAT"; recipe_files "$1" rootfs; echo "buildArgs $2"; echo "mirror $MIRROR"; } |
    sha256sum | awk '{print $1}'
}

recipe_hash() { # recipe_dir buildargs_json platforms
  local dir="$1" args="$2" plats="$3" b
  {
    echo "format $FORMAT"
    recipe_files "$dir"
    echo "buildArgs $args"
    echo "platforms $plats"
    [ -f "$dir/rootfs.sh" ] && echo "mirror $MIRROR"
    for b in $(bases_of "$dir"); do echo "base $b $(label_of "$b")"; done
  } | sha256sum | awk '{print $1}'
}

built=0 cached=0 failed=0
want=("$@")
# One line per image: ref, recipe, platforms (comma-joined), build args (JSON),
# size-like. The last column says whether images.json records the upstream image's
# uncompressed size for this stand-in (its fidelity test then holds the
# stand-in close to it, and size bounds on images built from it are checked).
mapfile -t ENTRIES < <(jq -r '.[] | [.ref, .recipe, (.platforms | join(",")), (.buildArgs // {} | tojson), (.upstream.uncompressedSize != null | tostring), (.upstreamFiles // "-")] | @tsv' "$LIST")
for entry in "${ENTRIES[@]}"; do
  IFS=$'\t' read -r ref recipe plats args sizelike files <<<"$entry"
  args="$(jq -cS . <<<"$args")"
  if [ "${#want[@]}" -gt 0 ] && ! printf '%s\n' "${want[@]}" | grep -qxF "$ref"; then continue; fi
  dir="$STANDINS/$recipe"
  [ -d "$dir" ] || bct_die "$ref: recipe folder standins/$recipe is missing"
  t="$(bct_now)"

  memo_label "$ref"
  for b in $(bases_of "$dir"); do
    [ -n "${LABEL_MEMO[$b]+set}" ] || memo_label "$b"
    [ -n "$(label_of "$b")" ] || bct_die "$ref: base stand-in $b is not built (order in images.json?)"
  done
  hash="$(recipe_hash "$dir" "$args" "$plats")"
  # Made of upstream's own files where they are here, else of the recipe's model of them.
  upstream_dir="" content=model
  if [ "$files" != - ]; then
    sums="$(grep -E "^[0-9a-f]{64}  $files/" "$BCT_UPSTREAM_DIR/SHA256SUMS" 2>/dev/null || true)"
    if [ -n "$sums" ]; then
      (cd "$BCT_UPSTREAM_DIR" && sha256sum --check --quiet <<<"$sums") ||
        bct_die "$ref: files in $BCT_UPSTREAM_DIR/$files do not match its SHA256SUMS"
      upstream_dir="$(cd "$BCT_UPSTREAM_DIR/$files" && pwd)" content=upstream-files
      hash="$(printf '%s\n%s\nfiles %s' "$hash" "$sums" "$files" | sha256sum | awk '{print $1}')"
    else
      echo "$ref: $BCT_UPSTREAM_DIR/$files is absent: building the model of it (standins/$recipe) instead"
    fi
  fi
  # (Only a size-like stand-in folds that into its hash, so the others keep theirs.)
  [ "$sizelike" = true ] && hash="$(printf '%s size-like-upstream' "$hash" | sha256sum | awk '{print $1}')"
  labels=(bct.standin=true "bct.standin.recipe=$hash" "bct.standin.content=$content")
  [ "$content" = upstream-files ] && labels+=("bct.standin.files=$files")
  [ "$sizelike" = true ] && labels+=(bct.standin.size-like-upstream=true)
  if [ "$(label_of "$ref")" = "$hash" ]; then
    bct_step "$t" "$ref: cached"
    cached=$((cached + 1))
    continue
  fi

  safe="$(printf '%s' "$ref" | tr '/:' '__')"
  log="$BCT_CACHE_DIR/logs/$safe.log"
  : >"$log"
  # Build args as KEY=VALUE lines, exported to prepare.sh/rootfs.sh too.
  mapfile -t kv < <(jq -r 'to_entries[] | "\(.key)=\(.value)"' <<<"$args")
  ok=1
  if [ -f "$dir/rootfs.sh" ]; then
    key="$(rootfs_key "$dir" "$args")"
    tarball="$BCT_CACHE_DIR/rootfs/$recipe-$key.tar"
    how="imported"
    if [ ! -s "$tarball" ]; then
      (env "${kv[@]}" MIRROR="$MIRROR" bash "$dir/rootfs.sh" "$tarball") >>"$log" 2>&1 || ok=0
      how="debootstrapped and imported"
    else
      how="imported cached rootfs"
    fi
    if [ "$ok" = 1 ]; then
      changes=()
      while IFS= read -r c; do [ -n "$c" ] && changes+=(--change "$c"); done <"$dir/changes"
      changes+=(--change "LABEL ${labels[*]}")
      docker import --platform "$plats" "${changes[@]}" "$tarball" "$ref" >>"$log" 2>&1 || ok=0
      # Keep only the current rootfs of this recipe.
      find "$BCT_CACHE_DIR/rootfs" -maxdepth 1 -name "$recipe-*.tar" ! -name "$recipe-$key.tar" -delete
    fi
  else
    ctx="$BCT_CACHE_DIR/ctx/$safe"
    rm -rf "$ctx"
    mkdir -p "$ctx"
    cp -a "$dir/." "$ctx/"
    if [ -f "$ctx/prepare.sh" ]; then
      (env "${kv[@]}" BCT_LIB="$BCT_CI_DIR/lib.sh" UPSTREAM_DIR="$upstream_dir" bash "$ctx/prepare.sh" "$ctx") \
        >>"$log" 2>&1 || ok=0
    fi
    [ -f "$ctx/.platforms" ] && plats="$(cat "$ctx/.platforms")"
    if [ "$ok" = 1 ]; then
      how="built for $plats"
      [ "$content" = upstream-files ] && how="$how from $files"
      bargs=()
      for a in "${kv[@]}"; do bargs+=(--build-arg "$a"); done
      for l in "${labels[@]}"; do bargs+=(--label "$l"); done
      # Uncompressed layers: gzip of the big Debian-based layers took longer
      # than the build itself on 2 cores; they only live in the local store.
      docker buildx build --progress=plain --provenance=false --sbom=false \
        --platform "$plats" "${bargs[@]}" \
        --output "type=docker,name=$ref,compression=uncompressed" "$ctx" >>"$log" 2>&1 || ok=0
    fi
  fi
  memo_label "$ref"
  if [ "$ok" = 1 ] && [ "$(label_of "$ref")" != "$hash" ]; then
    echo "built image has no bct.standin.recipe=$hash label" >>"$log"
    ok=0
  fi
  # A recipe's check.sh REF PLATFORMS smoke-tests the new image; a failing
  # image is removed so that the next run builds it again.
  if [ "$ok" = 1 ] && [ -f "$dir/check.sh" ]; then
    echo "----- check.sh -----" >>"$log"
    if ! bash "$dir/check.sh" "$ref" "$plats" >>"$log" 2>&1; then
      echo "check.sh failed; removing $ref" >>"$log"
      docker image rm -f "$ref" >/dev/null 2>&1 || true
      memo_label "$ref"
      ok=0
    else
      how="$how, checked"
    fi
  fi
  if [ "$ok" = 1 ]; then
    bct_step "$t" "$ref: $how"
    built=$((built + 1))
  else
    echo "----- last lines of $log -----" >&2
    tail -n 40 "$log" >&2
    bct_step "$t" "$ref: FAILED (full log: $log)" >&2
    failed=$((failed + 1))
    break # later images may build FROM this one
  fi
done

bct_step "$T0" "stand-ins: $built built, $cached cached, $failed failed"
[ "$failed" = 0 ]
