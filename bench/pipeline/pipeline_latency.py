#!/usr/bin/python3
"""End-to-end latency of `conduit serve` beside a direct send, in one run.

For each repetition and each series (small 64x64 and large 512x512 CT instances, from ../shared/bench/gen_series.py):
  direct   storescu -> storescp                                   (what a site does without a router)
  conduit  storescu -> conduit serve -> (flow: no steps) -> storescp
and reports, per series:
  direct_s      storescu's wall time straight into storescp
  ingest_s      storescu's wall time into conduit serve (until the last instance is acknowledged)
  latency_s     last acknowledgement -> last instance on storescp's disk
  wait_s        the completeness wait inside that latency (association end + grace: the batch cannot close earlier)
  overhead_s    ingest_s + latency_s - wait_s - direct_s: what routing through Conduit costs beyond the wait

Usage: bench/pipeline/run.sh [--reps N] [--n-small N] [--n-large N]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def find_shared_bench():
    """../shared/bench beside the repository (or beside an ancestor, for a worktree kept deeper down)."""
    folder = REPO
    for _ in range(4):
        folder = os.path.dirname(folder)
        candidate = os.path.join(folder, "shared", "bench")
        if os.path.exists(os.path.join(candidate, "gen_series.py")):
            return candidate
    raise SystemExit("shared/bench/gen_series.py not found beside the repository")


SHARED_BENCH = find_shared_bench()
CONDUIT = os.path.join(REPO, "src", "Conduit", "bin", "Release", "net10.0", "conduit.dll")
ENV = dict(os.environ, TCP_NODELAY="1")
GRACE_S = 2.0  # CompletionRule.DefaultAssociationEndGraceSeconds


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def count_files(folder):
    return sum(len(files) for _, _, files in os.walk(folder))


def storescu(port, aet, folder):
    start = time.monotonic()
    subprocess.run(["storescu", "-aec", aet, "+sd", "+r", "-nh", "127.0.0.1", str(port), folder],
                   check=True, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def wait_for(folder, n, timeout=300):
    end = time.time() + timeout
    while time.time() < end:
        if count_files(folder) >= n:
            return time.monotonic()
        time.sleep(0.01)
    raise RuntimeError(f"{folder}: only {count_files(folder)} of {n} files after {timeout} s")


def start_storescp(port, out):
    os.makedirs(out, exist_ok=True)
    p = subprocess.Popen(["storescp", "-aet", "DEST", "-od", out, "--single-process", str(port)], env=ENV,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port)
    return p


def start_conduit(work, scp_port, http_port, dest_port):
    os.makedirs(os.path.join(work, "flows"), exist_ok=True)
    with open(os.path.join(work, "conduit.yaml"), "w") as f:
        f.write(f"receiver:\n  port: {scp_port}\n  bind: 127.0.0.1\nhttp:\n  urls: [\"http://127.0.0.1:{http_port}\"]\n")
    with open(os.path.join(work, "flows", "route.yaml"), "w") as f:
        f.write("name: route\nversion: '1'\ntriggers: []\ndestinations:\n"
                f"  - name: dest\n    type: dicom\n    host: 127.0.0.1\n    port: {dest_port}\n    called_ae: DEST\n")
    log = open(os.path.join(work, "serve.log"), "w")
    p = subprocess.Popen(["dotnet", CONDUIT, "serve"], cwd=work, stdout=subprocess.PIPE, stderr=log, text=True)
    for line in p.stdout:
        if line.startswith("http on"):
            break
    wait_port(scp_port)
    return p


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(30)
    except subprocess.TimeoutExpired:
        p.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--n-small", type=int, default=200)
    ap.add_argument("--n-large", type=int, default=50)
    args = ap.parse_args()

    data = f"/tmp/dicom-bench/pipeline-L{args.n_large}-S{args.n_small}"
    if not os.path.exists(os.path.join(data, "manifest.json")):
        subprocess.run(["/usr/bin/python3", os.path.join(SHARED_BENCH, "gen_series.py"), "--out", data,
                        "--n-large", str(args.n_large), "--n-small", str(args.n_small), "--n-warmup", "5"], check=True)
    series = {"small": (os.path.join(data, "small"), args.n_small), "large": (os.path.join(data, "large"), args.n_large)}

    rows = {name: [] for name in series}
    for rep in range(args.reps):
        for name, (folder, n) in series.items():
            with tempfile.TemporaryDirectory(prefix="conduit-pipeline-bench-") as tmp:
                dest_port, scp_port, http_port = free_port(), free_port(), free_port()
                direct_out = os.path.join(tmp, "direct")
                dest = start_storescp(dest_port, direct_out)
                try:
                    direct_s = storescu(dest_port, "DEST", folder)
                    wait_for(direct_out, n)
                finally:
                    stop(dest)

                routed_out = os.path.join(tmp, "routed")
                dest = start_storescp(dest_port, routed_out)
                serve = start_conduit(os.path.join(tmp, "work"), scp_port, http_port, dest_port)
                try:
                    storescu(scp_port, "CONDUIT", os.path.join(data, "warmup"))  # JIT and first-open costs out of the timing
                    wait_for(routed_out, 5)
                    shutil.rmtree(routed_out)
                    os.makedirs(routed_out)
                    ingest_s = storescu(scp_port, "CONDUIT", folder)
                    acked = time.monotonic()
                    delivered = wait_for(routed_out, n)
                    latency_s = delivered - acked
                    rows[name].append((direct_s, ingest_s, latency_s))
                    print(f"rep {rep + 1} {name:5} n={n:4} direct {direct_s:6.2f} s  ingest {ingest_s:6.2f} s  "
                          f"latency {latency_s:6.2f} s", flush=True)
                finally:
                    stop(serve)
                    stop(dest)

    print()
    print(f"{'series':8} {'n':>5} {'direct_s':>9} {'ingest_s':>9} {'latency_s':>10} {'wait_s':>7} {'overhead_s':>11} {'ingest/direct':>14}")
    for name, results in rows.items():
        direct = statistics.median(r[0] for r in results)
        ingest = statistics.median(r[1] for r in results)
        latency = statistics.median(r[2] for r in results)
        overhead = ingest + latency - GRACE_S - direct
        print(f"{name:8} {series[name][1]:5} {direct:9.2f} {ingest:9.2f} {latency:10.2f} {GRACE_S:7.2f} {overhead:11.2f} {ingest / direct:13.2f}x")
    print("\nmedians over", args.reps, "repetition(s); load:", open("/proc/loadavg").read().split()[:3])


if __name__ == "__main__":
    sys.exit(main())
