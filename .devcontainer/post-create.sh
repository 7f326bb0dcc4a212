#!/usr/bin/env bash
# Runs once, when the workspace is created: install the dependencies and build the deck,
# so the first `pnpm deck serve` and `pnpm example` start at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

pnpm install --frozen-lockfile
pnpm deck build
