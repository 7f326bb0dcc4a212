#!/usr/local/bin/bash
# BCT stand-in entrypoint for bash:5.3, doing what upstream's does: with no
# arguments or an option first (-c ...) it runs bash with them; anything else
# is executed as given, so `docker run bash:5.3 script.sh` looks script.sh up
# on PATH (and fails like upstream when it is not there).
set -Eeuo pipefail
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  exec bash "$@"
fi
exec "$@"
