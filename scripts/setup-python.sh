#!/usr/bin/env bash
# Create .venv with the real wandb SDK (our differential oracle: it ships the Go wandb-core), plus
# numpy and pillow, which the SDK needs for media (wandb.Image from arrays, wandb.Histogram).
# With --test also the test suite's other oracles: sweeps (the search engine of wandb's local
# sweep controller, for test/core/sweeps/search), optuna (an engine of wandb sweep-scheduler) and
# prometheus_client (a real OpenMetrics exporter for test/e2e/open-metrics).
# Idempotent: does nothing when .venv already holds the pinned versions.
set -euo pipefail
cd "$(dirname "$0")/.."
WANDB_VERSION="0.31.0"
NUMPY_VERSION="2.4.6"
PILLOW_VERSION="13.0.0"
SWEEPS_VERSION="0.2.0"
OPTUNA_VERSION="5.1.0"
PROMETHEUS_CLIENT_VERSION="0.26.0"
PY="${PYTHON:-python3}"
want=("wandb==$WANDB_VERSION" "pyyaml>=6" "numpy==$NUMPY_VERSION" "pillow==$PILLOW_VERSION")
check="import wandb, numpy, PIL, sys; ok = (wandb.__version__, numpy.__version__, PIL.__version__) == ('$WANDB_VERSION', '$NUMPY_VERSION', '$PILLOW_VERSION')"
what="wandb $WANDB_VERSION, numpy and pillow"
if [ "${1:-}" = "--test" ]; then
  want+=("sweeps==$SWEEPS_VERSION" "optuna==$OPTUNA_VERSION" "prometheus_client==$PROMETHEUS_CLIENT_VERSION")
  check="$check; import sweeps, optuna, importlib.metadata as md; ok = ok and (sweeps.__version__, optuna.__version__, md.version('prometheus_client')) == ('$SWEEPS_VERSION', '$OPTUNA_VERSION', '$PROMETHEUS_CLIENT_VERSION')"
  what="$what, sweeps $SWEEPS_VERSION, optuna $OPTUNA_VERSION, prometheus_client $PROMETHEUS_CLIENT_VERSION"
fi
if [ -x .venv/bin/python ] && .venv/bin/python -c "$check; sys.exit(0 if ok else 1)" 2>/dev/null; then
  echo "setup-python: .venv has $what"
  exit 0
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check "${want[@]}"
echo "setup-python: .venv has $what"
