#!/usr/bin/env bash
# Makes sure the S3-compatible server the tests use (OpenStack Swift with s3api, from
# ../shared/tools/s3) answers on 127.0.0.1:${S3_PORT:-18080}. Idempotent: does nothing when it
# already answers. Tests create and delete their own buckets, so none is made here.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${S3_PORT:-18080}"
ready() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
if ready; then exit 0; fi
shared="$(cd .. && pwd)/shared"
scratch="${S3_SCRATCH_DIR:-/tmp/lc-swift}"
# A previous run's servers may have died leaving PID files: stop whatever is left first.
bash "$shared/tools/s3/swift-s3-down.sh" "$scratch" >/dev/null 2>&1 || true
bash "$shared/tools/s3/swift-s3-up.sh" "$scratch" >/dev/null
for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
echo "The S3 test server (Swift) does not answer on 127.0.0.1:$port" >&2
exit 1
