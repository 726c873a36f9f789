#!/usr/bin/env bash
# The one test command (README, .ci/run): installs the reference tools the
# tests compare against when they are missing, then builds and runs every test.
# Target: a fresh Debian 12 machine with the .NET 10 SDK.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- reference tools: dcmtk, Debian's pydicom (for /usr/bin/python3), Orthanc, podman
missing=()
command -v dcmdump >/dev/null 2>&1 && command -v dcm2json >/dev/null 2>&1 || missing+=(dcmtk)
/usr/bin/python3 -c 'import pydicom' >/dev/null 2>&1 || missing+=(python3-pydicom)
command -v Orthanc >/dev/null 2>&1 || [ -x /usr/sbin/Orthanc ] || missing+=(orthanc)
# Orthanc's DICOMweb plugin: the peer of the STOW-RS interop test (issue 5)
[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || missing+=(orthanc-dicomweb)
# --- container steps run on podman's Docker-compatible service (runc: crun fails on hybrid cgroups), with a
# local image built from the static busybox; rootless podman also needs newuidmap
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || missing+=(runc)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' || missing+=(busybox-static)
[ "$(id -u)" -eq 0 ] || command -v newuidmap >/dev/null 2>&1 || missing+=(uidmap)
# --- a watched-folder test makes a file undeletable (chattr +i) when run as root
command -v chattr >/dev/null 2>&1 || missing+=(e2fsprogs)
# --- the dashboard's browser tests drive Debian's Chromium through Playwright (no browser download)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# --- database.provider postgres: the store tests and a serve test start a throw-away cluster (tests' PostgresServer)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
# --- queue.provider rabbitmq: the queue tests and a serve test start a private broker (tests' RabbitServer)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "test.sh: installing ${missing[*]}" >&2
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- the sample corpus lives beside the repository: ../shared/dicom-samples
# (for a git worktree kept deeper down, the nearest ancestor's shared/dicom-samples)
if [ -z "${CONDUIT_SAMPLES:-}" ]; then
    for dir in .. ../.. ../../..; do
        if [ -f "$dir/shared/dicom-samples/MANIFEST.tsv" ]; then
            CONDUIT_SAMPLES="$(cd "$dir/shared/dicom-samples" && pwd)"
            break
        fi
    done
fi
if [ -n "${CONDUIT_SAMPLES:-}" ]; then
    export CONDUIT_SAMPLES
else
    echo "test.sh: ../shared/dicom-samples not found and CONDUIT_SAMPLES not set; corpus tests will fail" >&2
fi

# --- build and test
dotnet restore Conduit.slnx
dotnet build Conduit.slnx -c Release --no-restore
# Minimal console verbosity prints every failed test with its message and stack,
# then the totals. A test that hangs is killed (with a dump) rather than
# stalling the run: a hang is itself a bug (issue 2, "never a hang").
status=0
dotnet test Conduit.slnx -c Release --no-build \
    --logger "console;verbosity=minimal" \
    --blame-hang-timeout 5m || status=$?
# Screenshots of the dashboard taken by the browser tests (tests/Conduit.Tests/Dashboard).
if [ -d artifacts/screenshots ]; then
    echo "test.sh: dashboard screenshots in $(pwd)/artifacts/screenshots/"
fi
exit "$status"
