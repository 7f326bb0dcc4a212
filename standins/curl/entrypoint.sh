#!/bin/sh
# As upstream curlimages/curl: an option or a non-command first argument
# means "arguments for curl".
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ]; then
  set -- curl "$@"
fi
exec "$@"
