#!/usr/bin/env bash
# conduit receive and conduit serve beside dcmtk storescp and Orthanc, one run (issue 3, "Must show" 3).
#
# Usage: bench/receive/run.sh [--quick|--targets] [--no-send] [--no-serve] [--r2r|--jit] [RUN_PEERS_OPTION ...]
#   --quick     --reps 1 --n-small 1000 --n-large 250 (about a third of the default run time)
#   --targets   only the rows the issue's ratios need (storescp, storescp --fork, their --ignore ceilings, conduit with
#               and without fsync), no Orthanc, no serve rows, no send section, and 6 repetitions (unless --reps says
#               otherwise): the same time buys twice the repetitions per cell, whose spread on this machine is 20-50 %
#   (default)   publish with src/Conduit's `server` profile, as a deployment would: self-contained, composite
#               ReadyToRun, tiered compilation off (precompiled code, final from the first instance; ~5 min to publish)
#   --r2r       framework-dependent ReadyToRun with tiered compilation (the default before 2026-11-30 10:00)
#   --jit       publish without ReadyToRun (to see what precompiled code is worth)
#   --prebuilt DIR  use a folder published earlier (dotnet publish src/Conduit -p:PublishProfile=server -o DIR) instead
#               of publishing now (the profile's publish takes minutes); its BUILD.txt, if any, goes into the report
#   --reps R    repetitions of every cell, in run_peers.sh and in the send section (default 3)
#   --no-send   skip the conduit send section
#   --send-long N  small instances in the send section's long cell, small-N (default 10000; 0: no long cell): the
#               data set's 2,000 small instances take conduit send less than half a second, a third of it start-up
#   --no-serve  skip the conduit serve rows (conduit-serve, conduit-serve-nofsync)
#   any other option goes to run_peers.sh as is (e.g. --reps 5, --n-small 4000, --skip-limits)
# Env:  CONDUIT_BENCH_PEERS  directory holding run_peers.sh (default: ../shared/bench beside the repository)
#       CONDUIT_BENCH_ROOT   where everything is written (default /tmp/conduit-bench-receive)
#
# 1. publishes src/Conduit (the server profile, or --r2r / --jit) into $ROOT/conduit;
# 2. generates run_peers.sh's data set if it is not there yet (its gen_series.py, at the path run_peers.sh uses);
# 3. send section (send.sh), before run_peers.sh: `conduit send --associations 4` and 4 storescu processes, alternating,
#    each into a fresh conduit receive (both durability settings) and into storescp --fork --ignore (the ceiling of
#    each sender). It runs first because run_peers.sh deletes all the data it received at its end, and on this
#    machine's ext4 without a journal, files created within minutes of a mass deletion cost the receiver 4-10x the
#    kernel time (bench/receive/results.md, the 09:00 check); its own received files are deleted only after run_peers.sh;
# 4. run_peers.sh: storescu (1 and 4 associations, small 64x64 and large 512x512 instances) into the builtin rows
#    storescp, storescp-fork, storescp-ignore, orthanc, and extra rows: conduit (fsync before success, the
#    default), conduit-nofsync (--no-fsync), storescp-fork-ignore (storescp --fork --ignore: what storescu can
#    push over 4 parallel associations when the receiver stores nothing), and conduit-serve / conduit-serve-nofsync
#    (`conduit serve` with the repository's default flow flows/store-all.yaml and SQLite, receiver.fsync true / false;
#    serve_rx.sh writes each cell's conduit.yaml; README, "Rows");
# 5. report.py: one markdown report with the ratios to storescp and the issue's targets, in $ROOT/<run>/report.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

peers="${CONDUIT_BENCH_PEERS:-}"
if [ -z "$peers" ]; then
    # ../shared/bench beside the repository; for a git worktree deeper down, the nearest ancestor's
    for dir in "$repo/.." "$repo/../.." "$repo/../../.."; do
        [ -x "$dir/shared/bench/run_peers.sh" ] && { peers="$(cd "$dir/shared/bench" && pwd)"; break; }
    done
fi
[ -n "$peers" ] && [ -x "$peers/run_peers.sh" ] || { echo "run.sh: run_peers.sh not found; set CONDUIT_BENCH_PEERS" >&2; exit 1; }

root="${CONDUIT_BENCH_ROOT:-/tmp/conduit-bench-receive}"
send=1
serve=1
targets=0
args=()
send_reps=3 # run_peers.sh's default
send_reps_given=0
build=server
prebuilt=
# run_peers.sh's data set: its defaults, and the options that change it (passed on to it as well)
n_small=2000 n_large=500 n_warmup=20 data_root=/tmp/dicom-bench
send_long=10000
while [ $# -gt 0 ]; do
    case $1 in
    --quick) args+=(--reps 1 --n-small 1000 --n-large 250); send_reps=1 n_small=1000 n_large=250 send_long=4000 ;;
    --targets) targets=1 send=0 serve=0 ;;
    --no-send) send=0 ;;
    --send-long) send_long=$2; shift ;;
    --no-serve) serve=0 ;;
    --jit) build=jit ;;
    --r2r) build=r2r ;;
    --prebuilt) prebuilt=$2; shift ;;
    --reps) args+=("$1" "$2"); send_reps=$2; send_reps_given=1; shift ;;
    --n-small) args+=("$1" "$2"); n_small=$2; shift ;;
    --n-large) args+=("$1" "$2"); n_large=$2; shift ;;
    --n-warmup) args+=("$1" "$2"); n_warmup=$2; shift ;;
    --root) args+=("$1" "$2"); data_root=$2; shift ;;
    *) args+=("$1") ;;
    esac
    shift
done

for tool in dotnet storescu storescp /usr/bin/python3 /usr/bin/time ss; do
    command -v "$tool" >/dev/null || { echo "run.sh: missing tool $tool (README: Prerequisites)" >&2; exit 1; }
done

run_id="$(date -u +%Y%m%d-%H%M%S)"
out="$root/$run_id"
conduit_dir="$root/conduit"
mkdir -p "$out"
echo "run.sh: results in $out" >&2

# --- 1. build
publish=(-c Release -o "$conduit_dir")
if [ "$build" != jit ]; then
    case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) echo "run.sh: no ReadyToRun runtime identifier for $(uname -m); use --jit" >&2; exit 1 ;;
    esac
    if [ "$build" = server ]; then publish+=(-p:PublishProfile=server -r "$rid")
    else publish+=(-r "$rid" --self-contained false -p:PublishReadyToRun=true); fi
fi
if [ -n "$prebuilt" ]; then
    [ -x "$prebuilt/conduit" ] || { echo "run.sh: no conduit executable in $prebuilt" >&2; exit 1; }
    conduit_dir="$(cd "$prebuilt" && pwd)"
    echo "publish: prebuilt $conduit_dir$( [ -f "$conduit_dir/BUILD.txt" ] && echo " ($(head -1 "$conduit_dir/BUILD.txt"))")" >"$out/publish-options.txt"
    echo "conduit: prebuilt in $conduit_dir" >"$out/conduit-version.txt"
else
    echo "run.sh: dotnet publish src/Conduit ${publish[*]}" >&2
    rm -rf "$conduit_dir"
    dotnet publish "$repo/src/Conduit" "${publish[@]}" --nologo -v quiet >"$out/publish.log" 2>&1 \
        || { cat "$out/publish.log" >&2; exit 1; }
    echo "publish: ${publish[*]}" >"$out/publish-options.txt"
    git -C "$repo" log -1 --format='conduit: %h %s' >"$out/conduit-version.txt" 2>/dev/null || true
fi
conduit=("$conduit_dir/conduit") # the apphost: a self-contained build runs its own runtime

# --- 2. the data set, where run_peers.sh looks for it (it regenerates it itself if this one does not match)
data="$data_root/data-L$n_large-S$n_small-W$n_warmup"
if ! /usr/bin/python3 - "$data" "$n_large" "$n_small" "$n_warmup" 2>/dev/null <<'EOF'
import json, os, sys
d, want = sys.argv[1], {"large": int(sys.argv[2]), "small": int(sys.argv[3]), "warmup": int(sys.argv[4])}
m = json.load(open(os.path.join(d, "manifest.json")))
sys.exit(any(m["sets"][k]["count"] != n or len([f for f in os.listdir(os.path.join(d, k)) if f.endswith(".dcm")]) != n
             for k, n in want.items()))
EOF
then
    echo "run.sh: generating the data set in $data" >&2
    /usr/bin/python3 "$peers/gen_series.py" --out "$data" --n-large "$n_large" --n-small "$n_small" --n-warmup "$n_warmup" >&2
fi
# the send section's long cell: small instances only, in a data set of its own
long=
if [ "$send" -eq 1 ] && [ "$send_long" -gt 0 ]; then
    long="$data_root/send-S$send_long"
    if ! /usr/bin/python3 - "$long" "$send_long" 2>/dev/null <<'EOF'
import json, os, sys
d, n = sys.argv[1], int(sys.argv[2])
m = json.load(open(os.path.join(d, "manifest.json")))
sys.exit(m["sets"]["small"]["count"] != n or len([f for f in os.listdir(os.path.join(d, "small")) if f.endswith(".dcm")]) != n)
EOF
    then
        echo "run.sh: generating the send section's long set in $long" >&2
        rm -rf "$long"
        /usr/bin/python3 "$peers/gen_series.py" --out "$long" --n-large 0 --n-small "$send_long" --n-warmup 0 >&2
    fi
fi
{ echo "load before: $(uptime)"; } >"$out/load.txt"

# --- 3. conduit send and storescu into conduit receive, before run_peers.sh's deletion (see the header)
# the send section's received files stay until run_peers.sh is done (and go even when it fails)
remove_send_data() { for cell in "$out/send"/*/; do [ -d "${cell}out" ] && rm -rf "${cell}out"; done; return 0; }
if [ "$send" -eq 1 ]; then
    trap remove_send_data EXIT
    # inside a private network namespace, like run_peers.sh: storescp binds every address
    netns=(unshare -n bash -c 'ip link set lo up && exec "$@"' _)
    "${netns[@]}" true 2>/dev/null || { echo "run.sh: no private network namespace here; the send section runs on the host's loopback" >&2; netns=(); }
    "${netns[@]}" env SEND_REPS="$send_reps" SEND_KEEP=1 bash "$here/send.sh" "$conduit_dir/conduit" "$data" "$out/send" ${long:+"$long"} | tee "$out/send.log"
    echo "load after send: $(uptime)" >>"$out/load.txt"
fi

# --- 4. storescu into every receiver
# `exec` makes the measured root PID the receiver itself; *.dcm only, so a temporary file is never counted as stored
rx="exec ${conduit[*]} receive --bind 127.0.0.1 --port {PORT} --aet {AET} --out {OUT}"
count="find {OUT} -type f -name '*.dcm' | wc -l"
rows=(
    --receiver "conduit::$rx::$count"
    --receiver "conduit-nofsync::$rx --no-fsync::$count"
    --receiver "storescp-fork-ignore::env TCP_NODELAY=1 storescp -up -aet {AET} -od {OUT} --fork --ignore {PORT}::-"
)
if [ "$serve" -eq 1 ]; then
    # serve_rx.sh writes {WORK}/conduit.yaml (data directory {OUT}, HTTP on {HTTP}) and execs conduit serve, so the
    # measured root PID is serve. Counted: the acknowledged instances in the data directory's instances/ (not the
    # flow's copies under received/, nor .incoming/); README, "Rows", says when the copies are made.
    srx="exec $here/serve_rx.sh ${conduit[*]} $repo/flows/store-all.yaml {PORT} {AET} {HTTP} {OUT} {WORK}"
    scount="find {OUT}/instances -type f -name '*.dcm' 2>/dev/null | wc -l"
    rows+=(
        --receiver "conduit-serve::$srx true::$scount"
        --receiver "conduit-serve-nofsync::$srx false::$scount"
    )
fi
receivers=storescp,storescp-fork,storescp-ignore,orthanc
if [ "$targets" -eq 1 ]; then
    receivers=storescp,storescp-fork,storescp-ignore
    [ "$send_reps_given" -eq 1 ] || args+=(--reps 6)
fi
"$peers/run_peers.sh" --receivers "$receivers" "${rows[@]}" \
    --results "$out/peers" "${args[@]}" | tee "$out/peers.log"
echo "load after peers: $(uptime)" >>"$out/load.txt"
remove_send_data

# --- 5. report
/usr/bin/python3 "$here/report.py" "$out" >"$out/report.md"
cat "$out/report.md"
echo "run.sh: report in $out/report.md" >&2
