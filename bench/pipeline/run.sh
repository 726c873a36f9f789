#!/usr/bin/env bash
# End-to-end latency of conduit serve beside a direct storescu -> storescp send (issue 4, must show 5).
# Needs dcmtk and Debian's python3-pydicom/python3-numpy (the same as ../shared/bench). See README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dotnet build src/Conduit -c Release -v q -nologo >/dev/null
exec /usr/bin/python3 bench/pipeline/pipeline_latency.py "$@"
