#!/usr/bin/env bash
# Make sure a local registry answers on 127.0.0.1:5000: a container named
# "registry" from the registry:3 stand-in (built by .ci/build-standins.sh),
# restarted by the engine if it stops. Idempotent: an answering registry
# running the current registry:3 image is left alone; a stopped one is started;
# one running an older registry:3 image is replaced.
# Order for CI: install-engine.sh -> build-standins.sh -> start-registry.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME="${BCT_REGISTRY_NAME:-registry}"
IMAGE=registry:3
URL="http://$BCT_REGISTRY_ADDR/v2/"
t="$(bct_now)"

bct_engine_up || bct_die "no Docker engine answering; run .ci/install-engine.sh first"
want="$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null)" ||
  bct_die "image $IMAGE is missing; run .ci/build-standins.sh first"

answers() { curl -fsS -o /dev/null --max-time 2 "$URL" 2>/dev/null; }
wait_answer() {
  local i
  for i in $(seq 1 60); do answers && return 0; sleep 0.5; done
  echo "----- docker logs $NAME -----" >&2
  docker logs --tail 30 "$NAME" >&2 || true
  bct_die "registry did not answer on $URL within 30 s"
}

have="$(docker container inspect --format '{{.Image}} {{.State.Running}}' "$NAME" 2>/dev/null || true)"
infra="$(docker container inspect --format '{{index .Config.Labels "bct.infra"}}/{{index .Config.Labels "bct.role"}}' "$NAME" 2>/dev/null || true)"
# The workspace's post-start script labels its registry bct.role=course-registry: that one is ours too.
[ "$infra" = "/course-registry" ] && infra=ci
if [ -n "$have" ] && [ "${infra%%/*}" != ci ]; then
  # Not ours: use it if it answers (the engine may still be restarting it), never touch it.
  for _ in $(seq 1 20); do answers && break; sleep 0.5; done
  answers || bct_die "a container named $NAME exists (not started by this script) but nothing answers on $URL"
  bct_step "$t" "registry: already answering on $BCT_REGISTRY_ADDR (container $NAME, not labelled bct.infra=ci, left as is)"
  exit 0
fi
if [ -n "$have" ] && [ "${have%% *}" != "$want" ]; then
  docker rm -f "$NAME" >/dev/null
  have=""
  replaced=" (replaced a container of an older $IMAGE)"
fi
if [ -z "$have" ]; then
  if answers; then
    bct_die "something else already answers on $URL (no container named $NAME)"
  fi
  docker run -d --restart always -p "$BCT_REGISTRY_ADDR:5000" --name "$NAME" \
    --label bct.infra=ci "$IMAGE" >/dev/null
  wait_answer
  bct_step "$t" "registry: started $IMAGE as container $NAME on $BCT_REGISTRY_ADDR${replaced:-}"
elif [ "${have##* }" != true ]; then
  docker start "$NAME" >/dev/null
  wait_answer
  bct_step "$t" "registry: restarted stopped container $NAME on $BCT_REGISTRY_ADDR"
else
  wait_answer
  bct_step "$t" "registry: already running on $BCT_REGISTRY_ADDR"
fi
