#!/usr/bin/env bash
# Benchmark dependencies: the Debian packages the BGP send benchmark needs
# beyond `make deps` (gobgpd's gRPC API from Python), and the generated gobgp
# gRPC stubs.
#
# Usage: deps.sh <stub-dir>
#   Installs python3-grpcio, python3-grpc-tools, python3-protobuf and
#   golang-github-osrg-gobgp-dev (gobgpd's .proto files) when one is missing
#   -- idempotent: no apt call at all when everything is present -- then
#   generates gobgp_pb2*.py, attribute_pb2.py and capability_pb2.py into
#   <stub-dir> (a build or scratch directory, never the source tree), unless
#   they are already there and newer than the .proto files.
# Prints the stub directory on success; fails loudly otherwise.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 <stub-dir>" >&2
  exit 2
fi
stub_dir=$1
readonly PYTHON=/usr/bin/python3
readonly PROTO_DIR=/usr/share/gocode/src/github.com/osrg/gobgp/api
packages=(python3 python3-grpcio python3-grpc-tools python3-protobuf
  golang-github-osrg-gobgp-dev)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench deps: missing packages (${missing[*]}); run as root" >&2
    exit 1
  fi
  echo "bench deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for f in gobgp.proto attribute.proto capability.proto; do
  [ -f "$PROTO_DIR/$f" ] || {
    echo "bench deps: $PROTO_DIR/$f missing (golang-github-osrg-gobgp-dev)" >&2
    exit 1
  }
done

mkdir -p "$stub_dir"
if [ ! -f "$stub_dir/gobgp_pb2_grpc.py" ] ||
  [ -n "$(find "$PROTO_DIR" -name '*.proto' -newer "$stub_dir/gobgp_pb2_grpc.py")" ]; then
  "$PYTHON" -m grpc_tools.protoc -I "$PROTO_DIR" \
    --python_out="$stub_dir" --grpc_python_out="$stub_dir" \
    gobgp.proto attribute.proto capability.proto
fi
# The stubs must import with the system Python (the one the bench uses).
"$PYTHON" -c "import sys; sys.path.insert(0, '$stub_dir'); \
import grpc, gobgp_pb2, gobgp_pb2_grpc, attribute_pb2" || {
  echo "bench deps: generated gobgp stubs in $stub_dir do not import" >&2
  exit 1
}
echo "$stub_dir"
