#!/usr/bin/env bash
# Post-build smoke check (run by .ci/build-standins.sh): REF PLATFORMS
set -euo pipefail
docker run --rm "$1" sh -c '
  set -e
  gcc --version | grep -q " 16\."
  printf "#include <iostream>\nint main() { std::cout << \"ok\" << std::endl; }\n" >/tmp/t.cpp
  g++ -static -o /tmp/t /tmp/t.cpp && /tmp/t | grep -qx ok'
