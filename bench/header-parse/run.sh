#!/usr/bin/env bash
# Header-only parse throughput: Conduit vs dcmtk (dcmdump) vs pydicom, one run,
# the same file list for all three (issue 2, "Must show" 4).
#
# Usage: bench/header-parse/run.sh [MIN_PARSES]   (default 3000)
# Env:   CONDUIT_SAMPLES  corpus directory (default: ../shared/dicom-samples beside the repo)
#
# The list is every sample outside malformed/, repeated until it holds at least
# MIN_PARSES entries. Each reader parses each entry once, stopping before Pixel Data:
#   pydicom  dcmread(f, stop_before_pixels=True, force=True) in a loop in one process
#            (Debian's python3-pydicom via /usr/bin/python3; timed inside the process)
#   dcmtk    one dcmdump process over all files: -q -M +sb 7fe0,0010, output to /dev/null
#            (-M keeps long values unloaded; timed around the process)
#   conduit  bench/Conduit.Bench.HeaderParse (Release), which prints
#            "files=N seconds=S alloc_per_file=B errors=E"
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
samples="${CONDUIT_SAMPLES:-}"
if [ -z "$samples" ]; then
    # ../shared/dicom-samples beside the repository; for a git worktree deeper down, the nearest ancestor's
    for dir in "$repo/.." "$repo/../.." "$repo/../../.."; do
        [ -f "$dir/shared/dicom-samples/MANIFEST.tsv" ] && { samples="$dir/shared/dicom-samples"; break; }
    done
fi
[ -n "$samples" ] || { echo "run.sh: sample corpus not found; set CONDUIT_SAMPLES" >&2; exit 1; }
samples="$(cd "$samples" && pwd)"
min_parses="${1:-3000}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- the file list: absolute paths, repeated to >= min_parses
tail -n +2 "$samples/MANIFEST.tsv" | cut -f1 | grep -v '^malformed/' | sed "s|^|$samples/|" > "$work/distinct"
distinct=$(wc -l < "$work/distinct")
repeats=$(( (min_parses + distinct - 1) / distinct ))
for _ in $(seq "$repeats"); do cat "$work/distinct"; done > "$work/files"
files=$(wc -l < "$work/files")
echo "header parse: $distinct distinct files x $repeats = $files parses" >&2

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# --- pydicom
cat > "$work/pydicom_bench.py" <<'PY'
import sys, time, warnings
import pydicom
warnings.simplefilter("ignore")
paths = [l.rstrip("\n") for l in open(sys.argv[1]) if l.strip()]
errors = 0
start = time.perf_counter()
for p in paths:
    try:
        pydicom.dcmread(p, stop_before_pixels=True, force=True)
    except Exception:
        errors += 1
elapsed = time.perf_counter() - start
print(f"files={len(paths)} seconds={elapsed:.4f} errors={errors}")
PY
py_line=$(/usr/bin/python3 "$work/pydicom_bench.py" "$work/files")

# --- dcmtk: one process; dcmdump exits non-zero if any file fails, so count errors from stderr
start=$(now)
set +e
xargs -a "$work/files" -d '\n' dcmdump -M +sb 7fe0,0010 > /dev/null 2> "$work/dcmdump.err"
set -e
end=$(now)
dcm_errors=$(grep -c '^E: dcmdump:\|^E: .*reading file' "$work/dcmdump.err" || true)
dcm_line="files=$files seconds=$(calc "$end - $start") errors=$dcm_errors"

# --- Conduit
dotnet build -c Release "$repo/bench/Conduit.Bench.HeaderParse" -v quiet -nologo > "$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
conduit_line=$(dotnet run -c Release --no-build --project "$repo/bench/Conduit.Bench.HeaderParse" -- "$work/files")

field() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<< "$1"; }
rate() { [ -n "$2" ] && calc "$1 / $2" || echo ""; }

py_rate=$(rate "$(field "$py_line" files)" "$(field "$py_line" seconds)")
dcm_rate=$(rate "$(field "$dcm_line" files)" "$(field "$dcm_line" seconds)")

row() { # reader files seconds rate errors alloc
    local vs_py="" vs_dcm=""
    if [ -n "$4" ]; then
        vs_py=$(printf '%.2fx' "$(calc "$4 / $py_rate")")
        vs_dcm=$(printf '%.2fx' "$(calc "$4 / $dcm_rate")")
        printf '%-8s %7s %9.3f %10.0f %9s %10s %7s %s\n' "$1" "$2" "$3" "$4" "$vs_py" "$vs_dcm" "$5" "$6"
    else
        printf '%-8s %7s %9s %10s %9s %10s %7s %s\n' "$1" "$2" "-" "-" "-" "-" "-" "$6"
    fi
}

printf '%-8s %7s %9s %10s %9s %10s %7s %s\n' reader files seconds files/s vs-pydicom vs-dcmdump errors alloc/file
row pydicom "$(field "$py_line" files)" "$(field "$py_line" seconds)" "$py_rate" "$(field "$py_line" errors)" "-"
row dcmdump "$(field "$dcm_line" files)" "$(field "$dcm_line" seconds)" "$dcm_rate" "$(field "$dcm_line" errors)" "-"
if grep -q 'files=' <<< "$conduit_line"; then
    c_rate=$(rate "$(field "$conduit_line" files)" "$(field "$conduit_line" seconds)")
    row conduit "$(field "$conduit_line" files)" "$(field "$conduit_line" seconds)" "$c_rate" \
        "$(field "$conduit_line" errors)" "$(field "$conduit_line" alloc_per_file) B"
else
    row conduit "-" "" "" "" "($conduit_line)"
fi
