#!/usr/bin/env bash
# Instance-record throughput of the SQLite store beside the disk's fsync floor, one run.
# Usage: bench/store-insert/run.sh [INSTANCES] [WRITERS]   (defaults 2000, 16; 1 and 4 writers are measured too)
# CONDUIT_BENCH_POSTGRES="Host=...;Database=...;Username=..." measures the PostgreSQL store beside it (an empty database).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dotnet build "$repo/bench/Conduit.Bench.StoreInsert" -c Release -v q --nologo >/dev/null
dotnet "$repo/bench/Conduit.Bench.StoreInsert/bin/Release/net10.0/Conduit.Bench.StoreInsert.dll" "$@"
