#!/usr/bin/env bash
# Generate TypeScript for proto/*.proto into proto/gen with protobuf-ts through protoc.
# protoc comes from Debian's protobuf-compiler (+ libprotobuf-dev for the well-known types);
# @protobuf-ts/plugin would download protoc from GitHub if package.json set config.protocVersion,
# so it does not. Options: bigint for int64 (long_type_number throws above 2^53 while decoding),
# optimize_speed for hand-written binary read/write.
# Usage: scripts/gen-proto.sh [OUT_DIR]   (default proto/gen; the staleness test passes a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-proto/gen}"
command -v protoc >/dev/null || { echo "gen-proto: protoc not found; install protobuf-compiler and libprotobuf-dev" >&2; exit 1; }
plugin="$PWD/node_modules/@protobuf-ts/plugin/bin/protoc-gen-ts"
[ -f "$plugin" ] || { echo "gen-proto: $plugin missing; run npm ci" >&2; exit 1; }
# The plugin's shebang is node; run it with whatever JS runtime this machine has.
wrapper="$(mktemp -d)/protoc-gen-ts"
if command -v node >/dev/null; then runtime=node; else runtime="$PWD/node_modules/.bin/bun"; fi
printf '#!/bin/sh\nexec %s %s "$@"\n' "$runtime" "$plugin" > "$wrapper"
chmod +x "$wrapper"
rm -rf "$out"
mkdir -p "$out"
protoc -I proto --plugin=protoc-gen-ts="$wrapper" \
  --ts_out="$out" --ts_opt=long_type_bigint,optimize_speed,use_proto_field_name \
  proto/*.proto
rm -rf "$(dirname "$wrapper")"
