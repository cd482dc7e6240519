#!/usr/bin/env bash
# Create .venv with the real wandb SDK (our differential oracle: it ships the Go wandb-core).
# Idempotent: does nothing when .venv already holds the pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."
WANDB_VERSION="0.31.0"
PY="${PYTHON:-python3}"
if [ -x .venv/bin/python ] && .venv/bin/python -c "import wandb, sys; sys.exit(0 if wandb.__version__ == '$WANDB_VERSION' else 1)" 2>/dev/null; then
  echo "setup-python: .venv has wandb $WANDB_VERSION"
  exit 0
fi
"$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check "wandb==$WANDB_VERSION" "pyyaml>=6"
.venv/bin/python -c "import wandb; print('setup-python: .venv has wandb', wandb.__version__)"
