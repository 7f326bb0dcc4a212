#!/usr/local/bin/bash
# BCT stand-in entrypoint for bash:5.3, behaving like the upstream one:
#   no arguments or an option first (-c ...)   -> bash "$@"
#   first argument is a command on PATH (env)  -> run it
#   anything else (a script file, ...)         -> bash "$@"
set -e
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- bash "$@"
elif ! type -P -- "$1" >/dev/null 2>&1; then
  set -- bash "$@"
fi
exec "$@"
