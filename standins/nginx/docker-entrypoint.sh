#!/bin/sh
# BCT stand-in entrypoint for nginx: when asked to run nginx (the default CMD),
# run busybox httpd in the foreground instead, with the request log on stdout.
# The shell stays PID 1 only to pass SIGQUIT/SIGTERM/SIGINT on, so
# `docker stop` ends the container at once.
set -e
case "${1:-nginx}" in
  nginx|nginx-debug)
    echo "bct stand-in: busybox httpd serving /usr/share/nginx/html on port 80"
    httpd -f -vv -p 80 -u nginx:nginx -h /usr/share/nginx/html 2>&1 &
    pid=$!
    trap 'kill -TERM "$pid" 2>/dev/null' TERM INT QUIT
    status=0
    wait "$pid" || status=$?
    # A trapped signal interrupts the first wait; reap httpd and exit cleanly.
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
    [ "$status" -gt 128 ] && exit 0
    exit "$status"
    ;;
esac
exec "$@"
