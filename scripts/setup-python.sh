#!/usr/bin/env bash
# Create .venv with the real wandb SDK (our differential oracle: it ships the Go wandb-core), plus
# numpy and pillow, which the SDK needs for media (wandb.Image from arrays, wandb.Histogram).
# Idempotent: does nothing when .venv already holds the pinned versions.
set -euo pipefail
cd "$(dirname "$0")/.."
WANDB_VERSION="0.31.0"
NUMPY_VERSION="2.4.6"
PILLOW_VERSION="13.0.0"
PY="${PYTHON:-python3}"
if [ -x .venv/bin/python ] && .venv/bin/python -c "import wandb, numpy, PIL, sys; sys.exit(0 if (wandb.__version__, numpy.__version__, PIL.__version__) == ('$WANDB_VERSION', '$NUMPY_VERSION', '$PILLOW_VERSION') else 1)" 2>/dev/null; then
  echo "setup-python: .venv has wandb $WANDB_VERSION, numpy and pillow"
  exit 0
fi
"$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check "wandb==$WANDB_VERSION" "pyyaml>=6" "numpy==$NUMPY_VERSION" "pillow==$PILLOW_VERSION"
.venv/bin/python -c "import wandb; print('setup-python: .venv has wandb', wandb.__version__)"
