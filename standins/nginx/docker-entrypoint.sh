#!/bin/sh
# BCT stand-in entrypoint for nginx, behaving like the upstream one: before
# starting nginx (or nginx-debug), run the executable *.sh and source the
# executable *.envsh files of /docker-entrypoint.d in version order; then exec
# the command, so nginx is PID 1 and gets docker stop's SIGQUIT itself.
set -e
case "$1" in
  nginx|nginx-debug)
    for f in $(find /docker-entrypoint.d/ -follow -type f 2>/dev/null | sort -V); do
      [ -x "$f" ] || { echo "$0: Ignoring $f, not executable"; continue; }
      case "$f" in
        *.envsh) echo "$0: Sourcing $f"; . "$f" ;;
        *.sh) echo "$0: Launching $f"; "$f" ;;
        *) echo "$0: Ignoring $f" ;;
      esac
    done
    ;;
esac
exec "$@"
