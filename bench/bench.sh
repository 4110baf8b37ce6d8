#!/usr/bin/env bash
# npm run bench [-- ID…]: installs bench/ dependencies when missing, then runs the
# harness pinned to one core with taskset when available (PERFORMANCE.md: pin latency
# workloads; the throwaway server inherits the affinity, so client and server share it).
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -d node_modules ]]; then
  if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
cd ..
pin=()
if command -v taskset >/dev/null 2>&1 && [[ "${BENCH_PIN:-1}" != 0 ]]; then pin=(taskset -c 0); fi
exec "${pin[@]}" node --import tsx bench/run.ts "$@"
