#!/usr/bin/env bash
# What the main job (`npx bun run demo`) needs, and nothing else: Bun and the JS dependencies from
# npm, and .venv with the wandb SDK. No apt, no cargo, no qemu (those are for the test suite:
# scripts/setup.sh). Idempotent; fast when done.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/bun ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/setup-python.sh
