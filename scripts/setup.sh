#!/usr/bin/env bash
# Everything a fresh machine needs to build nexus and run its tests. Idempotent; fast when done.
#   - npm ci: Bun (pinned, from npm) and every JS dependency from package-lock.json
#   - protoc + well-known types (Debian protobuf-compiler, libprotobuf-dev) for scripts/gen-proto.sh
#   - qemu-user-static + libc6-arm64-cross to smoke-test the linux-arm64 binary
#   - rcodesign (crates.io apple-codesign) to cross-check the macOS signatures
#   - .venv with wandb==0.31.0 (the real SDK and its Go wandb-core: our oracle)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/bun ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

need_apt=()
# not `command -v`: node_modules/.bin/protoc (@protobuf-ts) is first on PATH in CI and downloads protoc from the network
[ -x /usr/bin/protoc ] || need_apt+=(protobuf-compiler libprotobuf-dev)
[ -x /usr/bin/time ] || need_apt+=(time)
[ -f /usr/include/google/protobuf/timestamp.proto ] || need_apt+=(libprotobuf-dev)
[ -x /usr/bin/qemu-aarch64-static ] || need_apt+=(qemu-user-static)
[ -d /usr/aarch64-linux-gnu/lib ] || need_apt+=(libc6-arm64-cross)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

if ! command -v rcodesign >/dev/null && [ ! -x "$HOME/.cargo/bin/rcodesign" ]; then
  cargo install apple-codesign --locked --quiet
fi

bash scripts/setup-python.sh --test
