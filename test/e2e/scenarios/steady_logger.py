"""Logs ~100 steps/s until killed (or E2E_SECONDS pass), printing 'logging' once the run is live.

Used by the reliability tests: a scheduler's SIGTERM (or a SIGKILL of the service) arrives while
the run is logging, and the test counts what the .wandb file and the backend kept.
"""
import os
import sys
import time

import wandb
from _common import project, run_id, settings

seconds = float(os.environ.get("E2E_SECONDS", "30"))
mode = os.environ.get("E2E_MODE", "online")
run = wandb.init(project=project(), id=run_id(), mode=mode, settings=settings())
print("logging", flush=True)
start = time.monotonic()
step = 0
while time.monotonic() - start < seconds:
    run.log({"loss": 1.0 / (step + 1), "step_value": step, "text": "x" * 40})
    step += 1
    if step % 100 == 0:
        print(f"step {step}", flush=True)
    time.sleep(0.01)
run.finish()
