#!/usr/bin/env bash
# The send section of bench/receive/run.sh: `conduit send --associations N` of each data set into a receiver, and
# beside it, into the same kind of fresh receiver in the same section, N storescu processes (env TCP_NODELAY=1)
# sending the same files, as run_peers.sh does. Both senders alternate (which goes first changes every repetition),
# and both get the same warm-up, so the pair is compared under the same conditions. Timed from the first sender's
# start to the last one's exit (so .NET start-up and JIT of conduit send are inside its time, as storescu's process
# start is inside its own). Run it inside a private network namespace (run.sh does).
#
# Received files are kept until the end of the section (with SEND_KEEP=1, left for the caller to delete): on this
# machine's ext4 without a journal, deleting a cell's thousands of files just before the next cell makes every file
# the next receiver creates scan past the inodes just freed (recently_deleted() in the inode allocator skips inodes
# freed within the last minute, five more while their inode table block is dirty), 4-10x the receiver's kernel time
# per instance whichever the sender (results.md, the 09:00 check). run_peers.sh keeps its files for the same reason.
#
# The data set's 2,000 small instances take conduit send well under half a second, a third of it its own start-up
# (.NET runtime, association set-up; storescu's start-up is its dictionary, 4 x ~50 ms of CPU): that cell times
# start-up as much as sending. LONG_DIR, a data set of gen_series.py with many more small instances, adds a cell
# "small-N" where the sending itself dominates (results.md, the 2026-11-30 16:00 entry).
#
# Usage: send.sh CONDUIT DATA_DIR OUT_DIR [LONG_DIR]   (CONDUIT: the published conduit executable)
# Env:   SEND_REPS (default 1), SEND_ASSOCIATIONS (default 4), SEND_KEEP (default 0: delete received files at the end)
# Writes OUT_DIR/send.tsv, one row per sender x receiver x set x repetition.
set -euo pipefail
conduit=$1 data=$2 out=$3 long=${4:-}
reps=${SEND_REPS:-1}
assoc=${SEND_ASSOCIATIONS:-4}
keep=${SEND_KEEP:-0}
port=4343
aet=BENCHSCP
mkdir -p "$out"

# NAME::COMMAND with {PORT} {AET} {OUT}; every receiver is a single process (its CPU and VmHWM are read from /proc)
receivers=(
    "conduit::exec $conduit receive --bind 127.0.0.1 --port {PORT} --aet {AET} --out {OUT}"
    "conduit-nofsync::exec $conduit receive --bind 127.0.0.1 --port {PORT} --aet {AET} --out {OUT} --no-fsync"
    # --fork: one child per association, so four associations run at once; --ignore stores nothing: the ceiling
    # of each sender
    "storescp-fork-ignore::exec env TCP_NODELAY=1 storescp -up -aet {AET} -od {OUT} --fork --ignore {PORT}"
)

listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
cpu_s() { # pid -> utime+stime+cutime+cstime in seconds
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13 + $14 + $15) / hz }' "/proc/$1/stat"
}
hwm_mib() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
set_bytes() { # DATA_DIR SET
    /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sets"][sys.argv[2]]["bytes"])' "$1/manifest.json" "$2"
}
storescu_to() { # LOG TIMEFILE FILE... : one storescu association, as run_peers.sh runs it
    local log=$1 timefile=$2; shift 2
    /usr/bin/time -f '%e %U %S' -o "$timefile" env TCP_NODELAY=1 storescu -ta 600 -aet BENCHSCU -aec "$aet" 127.0.0.1 "$port" "$@" >"$log" 2>&1
}
send_storescu() { # CELL: the set's files round-robin over $assoc processes, one association each (run_peers.sh's sharding)
    local cell=$1 k i rc=0 pids=()
    for ((k = 0; k < assoc; k++)); do
        local part=()
        for ((i = k; i < n; i += assoc)); do part+=("${files[i]}"); done
        storescu_to "$cell/tx$k.log" "$cell/tx$k.time" "${part[@]}" &
        pids+=($!)
    done
    for k in "${pids[@]}"; do wait "$k" || rc=$?; done
    return $rc
}

table="$out/send.tsv"
printf 'sender\treceiver\tworkload\tassoc\trep\tinstances\tMB\twall_s\tinst_per_s\tMB_per_s\trx_cpu_s\trx_ms_per_inst\trx_rss_peak_MiB\ttx_cpu_s\treceived\tstatus\tsummary\n' >"$table"
# workload name -> folder of .dcm files
declare -A set_dirs=([small]="$data/small" [large]="$data/large")
sets=(small large)
if [ -n "$long" ]; then
    long_files=("$long/small"/*.dcm)
    sets+=("small-${#long_files[@]}")
    set_dirs["small-${#long_files[@]}"]="$long/small"
fi
warmups=("$data/warmup"/*.dcm)
[ -e "${warmups[0]}" ] || warmups=()

run_cell() { # SENDER(conduit-send|storescu) RECEIVER_SPEC
    local sender=$1 spec=$2
    local name=${spec%%::*}
    local cell="$out/$sender.$name.$set.a$assoc.r$rep"
    local rxout="$cell/out"
    rm -rf "$cell"; mkdir -p "$rxout"
    local cmd=${spec#*::}
    cmd=${cmd//\{PORT\}/$port}; cmd=${cmd//\{AET\}/$aet}; cmd=${cmd//\{OUT\}/$rxout}
    cat "${files[@]}" "${warmups[@]}" >/dev/null # sender input in the page cache
    sync
    bash -c "$cmd" >"$cell/receiver.log" 2>&1 &
    local rx=$! i
    for ((i = 0; i < 300; i++)); do listening "$port" && break; sleep 0.1; done
    local status=OK
    listening "$port" || status=FAIL_START
    # warm-up (not timed), the same for both senders and as run_peers.sh's: one storescu association
    if [ "$status" = OK ] && [ ${#warmups[@]} -gt 0 ]; then
        storescu_to "$cell/warmup.log" "$cell/warmup.time" "${warmups[@]}" || status=FAIL_WARMUP
    fi
    local wall=- ips=- mbps=- rxcpu=- perinst=- rss=- txcpu=- received=- summary=- cpu0 t0 t1
    if [ "$status" = OK ]; then
        cpu0=$(cpu_s "$rx")
        t0=$EPOCHREALTIME
        if [ "$sender" = conduit-send ]; then
            /usr/bin/time -f '%e %U %S' -o "$cell/tx.time" \
                "$conduit" send "127.0.0.1:$port" "$set_dir" --call "$aet" --associations "$assoc" >"$cell/tx.log" 2>"$cell/tx.err" \
                || status="FAIL_SEND(rc=$?)"
        else
            send_storescu "$cell" || status="FAIL_SEND(rc=$?)"
        fi
        t1=$EPOCHREALTIME
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
        sleep 0.2 # the last response is sent after the file is in place; let the receiver finish its bookkeeping
        rxcpu=$(awk -v a="$cpu0" -v b="$(cpu_s "$rx")" 'BEGIN { printf "%.2f", b - a }')
        perinst=$(awk -v c="$rxcpu" -v n="$n" 'BEGIN { printf "%.3f", 1000 * c / n }')
        rss=$(hwm_mib "$rx")
        txcpu=$(cat "$cell"/tx*.time | awk '{ c += $2 + $3 } END { printf "%.2f", c }')
        if [ "$sender" = conduit-send ]; then summary=$(tail -n 1 "$cell/tx.log"); else summary="storescu x$assoc"; fi
        if [ "$name" != storescp-fork-ignore ]; then
            received=$(( $(find "$rxout" -type f -name '*.dcm' | wc -l) - ${#warmups[@]} ))
            [ "$received" -eq "$n" ] || status="FAIL_COUNT($received/$n)"
        fi
        ips=$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.1f", n / w }')
        mbps=$(awk -v b="$bytes" -v w="$wall" 'BEGIN { printf "%.1f", b / 1e6 / w }')
    fi
    # SIGTERM, SIGKILL after 30 s, only this PID
    kill -TERM "$rx" 2>/dev/null || true
    (sleep 30; kill -KILL "$rx" 2>/dev/null) &
    local killer=$!
    wait "$rx" 2>/dev/null || true
    kill "$killer" 2>/dev/null || true
    wait "$killer" 2>/dev/null || true
    local mb
    mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
        "$sender" "$name" "$set" "$assoc" "$rep" "$n" "$mb" "$wall" "$ips" "$mbps" "$rxcpu" "$perinst" "$rss" "$txcpu" "$received" "$status" "$summary" >>"$table"
    echo "send: $sender x$assoc -> $name $set rep$rep: wall=${wall}s $ips inst/s $mbps MB/s rx_cpu=${rxcpu}s (${perinst} ms/inst) rss=${rss}MiB $status"
}

for ((rep = 1; rep <= reps; rep++)); do
    # which sender goes first alternates, so a drift of the machine does not always favour the same one
    if ((rep % 2)); then senders=(conduit-send storescu); else senders=(storescu conduit-send); fi
    for set in "${sets[@]}"; do
        set_dir=${set_dirs[$set]}
        files=("$set_dir"/*.dcm)
        n=${#files[@]}
        bytes=$(set_bytes "$(dirname "$set_dir")" "$(basename "$set_dir")")
        for spec in "${receivers[@]}"; do
            for sender in "${senders[@]}"; do run_cell "$sender" "$spec"; done
        done
    done
done
if [ "$keep" != 1 ]; then
    for cell in "$out"/*/; do rm -rf "${cell}out"; done
fi
