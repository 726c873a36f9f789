#!/usr/bin/env bash
# The send section of bench/receive/run.sh: `conduit send --associations N` of each data set into a receiver,
# timed from the sender's start to its exit (so .NET start-up and JIT of the sender are inside the time, as
# storescu's process start is inside run_peers.sh's).  Run it inside a private network namespace (run.sh does).
#
# Usage: send.sh CONDUIT_DLL DATA_DIR OUT_DIR     Env: SEND_REPS (default 1), SEND_ASSOCIATIONS (default 4)
# Writes OUT_DIR/send.tsv, one row per receiver x set x repetition.
set -euo pipefail
dll=$1 data=$2 out=$3
reps=${SEND_REPS:-1}
assoc=${SEND_ASSOCIATIONS:-4}
port=4343
aet=BENCHSCP
mkdir -p "$out"

# NAME::COMMAND with {PORT} {AET} {OUT}; every receiver is a single process (its CPU and VmHWM are read from /proc)
receivers=(
    "conduit::exec dotnet $dll receive --bind 127.0.0.1 --port {PORT} --aet {AET} --out {OUT}"
    "conduit-nofsync::exec dotnet $dll receive --bind 127.0.0.1 --port {PORT} --aet {AET} --out {OUT} --no-fsync"
    # --fork: one child per association, so four associations run at once; --ignore stores nothing: the ceiling
    # of the sender (the same row with storescu as the sender is run_peers.sh's storescp-fork-ignore)
    "storescp-fork-ignore::exec env TCP_NODELAY=1 storescp -up -aet {AET} -od {OUT} --fork --ignore {PORT}"
)

listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
cpu_s() { # pid -> utime+stime+cutime+cstime in seconds
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13 + $14 + $15) / hz }' "/proc/$1/stat"
}
hwm_mib() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
set_bytes() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sets"][sys.argv[2]]["bytes"])' "$data/manifest.json" "$1"; }

table="$out/send.tsv"
printf 'sender\treceiver\tworkload\tassoc\trep\tinstances\tMB\twall_s\tinst_per_s\tMB_per_s\trx_cpu_s\trx_rss_peak_MiB\ttx_cpu_s\treceived\tstatus\tsummary\n' >"$table"

for ((rep = 1; rep <= reps; rep++)); do
    for set in small large; do
        files=("$data/$set"/*.dcm)
        n=${#files[@]}
        bytes=$(set_bytes "$set")
        for spec in "${receivers[@]}"; do
            name=${spec%%::*}
            cell="$out/$name.$set.a$assoc.r$rep"
            rxout="$cell/out"
            rm -rf "$cell"; mkdir -p "$rxout"
            cmd=${spec#*::}; cmd=${cmd//\{PORT\}/$port}; cmd=${cmd//\{AET\}/$aet}; cmd=${cmd//\{OUT\}/$rxout}
            cat "${files[@]}" "$data/warmup"/*.dcm >/dev/null # sender input in the page cache
            sync
            bash -c "$cmd" >"$cell/receiver.log" 2>&1 &
            rx=$!
            for ((i = 0; i < 300; i++)); do listening "$port" && break; sleep 0.1; done
            status=OK
            listening "$port" || status=FAIL_START
            if [ "$status" = OK ]; then
                # warm-up (not timed), as run_peers.sh does: the receiver's JIT and caches settle
                dotnet "$dll" send "127.0.0.1:$port" "$data/warmup" --call "$aet" >"$cell/warmup.log" 2>&1 || status=FAIL_WARMUP
            fi
            wall=- ips=- mbps=- rxcpu=- rss=- txcpu=- received=- summary=-
            if [ "$status" = OK ]; then
                cpu0=$(cpu_s "$rx")
                t0=$EPOCHREALTIME
                /usr/bin/time -f '%e %U %S' -o "$cell/tx.time" \
                    dotnet "$dll" send "127.0.0.1:$port" "$data/$set" --call "$aet" --associations "$assoc" >"$cell/tx.log" 2>"$cell/tx.err" \
                    || status="FAIL_SEND(rc=$?)"
                t1=$EPOCHREALTIME
                wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
                sleep 0.2 # the last response is sent after the file is in place; let the receiver finish its bookkeeping
                rxcpu=$(awk -v a="$cpu0" -v b="$(cpu_s "$rx")" 'BEGIN { printf "%.2f", b - a }')
                rss=$(hwm_mib "$rx")
                txcpu=$(awk '{ printf "%.2f", $2 + $3 }' "$cell/tx.time")
                summary=$(tail -n 1 "$cell/tx.log")
                if [ "$name" != storescp-fork-ignore ]; then
                    received=$(( $(find "$rxout" -type f -name '*.dcm' | wc -l) - $(ls "$data/warmup" | wc -l) ))
                    [ "$received" -eq "$n" ] || status="FAIL_COUNT($received/$n)"
                fi
                ips=$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.1f", n / w }')
                mbps=$(awk -v b="$bytes" -v w="$wall" 'BEGIN { printf "%.1f", b / 1e6 / w }')
            fi
            # SIGTERM, SIGKILL after 30 s, only this PID
            kill -TERM "$rx" 2>/dev/null || true
            (sleep 30; kill -KILL "$rx" 2>/dev/null) &
            killer=$!
            wait "$rx" 2>/dev/null || true
            kill "$killer" 2>/dev/null || true
            wait "$killer" 2>/dev/null || true
            mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
            printf 'conduit-send\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
                "$name" "$set" "$assoc" "$rep" "$n" "$mb" "$wall" "$ips" "$mbps" "$rxcpu" "$rss" "$txcpu" "$received" "$status" "$summary" >>"$table"
            echo "send: conduit send x$assoc -> $name $set rep$rep: wall=${wall}s $ips inst/s $mbps MB/s rx_cpu=${rxcpu}s rss=${rss}MiB $status"
            rm -rf "$rxout"
        done
    done
done
