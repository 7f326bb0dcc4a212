# The --print script's setup: work dirs, cleanup of what it created, and the checks.
set -euo pipefail

CHECKS="$(mktemp -d)"
WORKDIR="$(mktemp -d)"
chmod 755 "$WORKDIR"
SESSION="${BCT_PRINT_SESSION:-print-$(date +%s)-$$}"
CREATED=()
problems=()

remember() { CREATED+=("$1 $2"); }
# What carries a Compose project's label (all of the project, whatever created it).
project_items() {
  local label="label=com.docker.compose.project=$1"
  docker ps -aq --filter "$label"
  docker network ls -q --filter "$label"
  docker volume ls -q --filter "$label"
  docker images -q --filter "$label"
}
project_exists() { [[ -n "$(project_items "$1")" ]]; }
remove_project() {
  local label="label=com.docker.compose.project=$1"
  docker ps -aq --filter "$label" | xargs -r docker rm -f -v
  docker network ls -q --filter "$label" | xargs -r docker network rm
  docker volume ls -q --filter "$label" | xargs -r docker volume rm
  docker images -q --filter "$label" | sort -u | xargs -r docker rmi -f
}

cleanup() {
  local status=$?
  set +e
  for ((i = ${#CREATED[@]} - 1; i >= 0; i--)); do
    read -r kind name <<<"${CREATED[i]}"
    case "$kind" in
      container) docker rm -f "$name" ;;
      network) docker network rm "$name" ;;
      volume) docker volume rm "$name" ;;
      image) docker rmi "$name" ;;
      project) remove_project "$name" ;;
    esac
  done >/dev/null 2>&1
  # What shell steps created with $BCT_LABELS.
  docker ps -aq --filter "label=bct.session=$SESSION" | xargs -r docker rm -f >/dev/null 2>&1
  docker images -q --filter "label=bct.session=$SESSION" | xargs -r docker rmi -f >/dev/null 2>&1
  docker network ls -q --filter "label=bct.session=$SESSION" | xargs -r docker network rm >/dev/null 2>&1
  docker volume ls -q --filter "label=bct.session=$SESSION" | xargs -r docker volume rm >/dev/null 2>&1
  rm -rf "$WORKDIR" "$CHECKS"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# A command that fails outside a check is a tool failure (exit 2), as the runner reports it.
tool_failed() {
  local status=$?
  echo "✗ the command above failed (exit $status)" >&2
  exit 2
}
trap tool_failed ERR

# Checks: each records a problem; verify stops the script when there is one.
text_of() { cat "$CHECKS/$1"; }
check_equals() { [[ "$(text_of "$1")" == "$2" ]] || problems+=("$1 should be '$2', was '$(text_of "$1")'"); }
check_contains() { [[ "$(text_of "$1")" == *"$2"* ]] || problems+=("$1 should contain '$2'"); }
check_matches() { [[ "$(text_of "$1")" =~ $2 ]] || problems+=("$1 should match /$2/, was '$(text_of "$1")'"); }
check_not_contains() { [[ "$(text_of "$1")" != *"$2"* ]] || problems+=("$1 should not contain '$2'"); }
check_value() { [[ "$2" == "$3" ]] || problems+=("$1 should be $3, was $2"); }
verify() {
  if ((${#problems[@]} > 0)); then
    printf '✗ %s\n' "${problems[@]}" >&2
    exit 1
  fi
}
no_problems() { ((${#problems[@]} == 0)); }
show() { cat "$CHECKS/stdout"; cat "$CHECKS/stderr" >&2; }
