#!/bin/sh
# As upstream registry: a config file path, "serve", "garbage-collect", "help"
# or an option first means "arguments for registry".
set -e
case "$1" in
  *.yaml|*.yml) set -- registry serve "$@" ;;
  serve|garbage-collect|help|-*) set -- registry "$@" ;;
esac
exec "$@"
