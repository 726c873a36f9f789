#!/usr/bin/env bash
# `conduit serve` as a run_peers.sh receiver row: writes a private conduit.yaml into WORK_DIR and execs serve there,
# so the PID run_peers.sh starts (and procmon.py follows, with its children) is serve itself.
#
#   serve_rx.sh CONDUIT FLOW_FILE PORT AET HTTP_PORT DATA_DIR WORK_DIR FSYNC
#
# CONDUIT     the published conduit executable
# FLOW_FILE   the flow serve runs (run.sh passes the repository's default, flows/store-all.yaml); copied into
#             WORK_DIR/flows, the only flow there
# PORT AET    the DICOM receiver (bound to 127.0.0.1, as every Conduit row)
# HTTP_PORT   the HTTP API (http://127.0.0.1:HTTP_PORT; serve needs one, nothing calls it here)
# DATA_DIR    storage.data_directory: instances (DATA_DIR/instances/<study>/<series>/<sop>.dcm), the SQLite database
#             conduit.db, the flow's copies (DATA_DIR/received/...); run_peers.sh's {OUT}
# WORK_DIR    working directory: conduit.yaml, flows/; run_peers.sh's {WORK}
# FSYNC       receiver.fsync: true (the default: each file flushed before the C-STORE response) or false
# Everything else is serve's default (SQLite, the in-process queue, 2 workers, grouping's 10 s quiet time, logging
# at information). README, "Rows", says when the flow's copy runs relative to the timed window.
set -euo pipefail
[ $# -eq 8 ] || { echo "usage: serve_rx.sh CONDUIT FLOW_FILE PORT AET HTTP_PORT DATA_DIR WORK_DIR FSYNC" >&2; exit 2; }
conduit=$1 flow=$2 port=$3 aet=$4 http=$5 data=$6 work=$7 fsync=$8
mkdir -p "$data" "$work/flows"
cp "$flow" "$work/flows/"
cat >"$work/conduit.yaml" <<EOF
receiver:
  port: $port
  ae_title: $aet
  bind: 127.0.0.1
  fsync: $fsync
http:
  urls: [http://127.0.0.1:$http]
storage:
  data_directory: $data
flows:
  directory: $work/flows
  static_directory: $work/static
EOF
# the file alone decides: no CONDUIT__* variable of the caller's environment overrides it
# (a command substitution, not a process substitution: bash reaps it before the exec, so no zombie child of serve
# sits in the process tree procmon.py measures)
for name in $(compgen -e); do [[ $name == CONDUIT__* ]] && unset "$name"; done
cd "$work"
exec "$conduit" serve --config "$work/conduit.yaml"
