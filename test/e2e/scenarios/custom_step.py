"""Explicit steps and commit=False accumulation."""
import time

import wandb
from _common import project, run_id, settings

run = wandb.init(project=project(), id=run_id(), settings=settings())
run.log({"a": 1}, commit=False)
run.log({"b": 2}, commit=False)
run.log({"c": 3})
run.log({"x": 10}, step=5)
run.log({"y": 11}, step=5)
run.log({"x": 20}, step=7, commit=True)
run.log({"late": 1}, step=3)  # lower than the current step: dropped with a warning
time.sleep(1.5)  # like a training step: lets the warning reach the terminal while output is captured
run.log({"z": 30})
run.define_metric("epoch")
run.define_metric("val_*", step_metric="epoch", summary="max")
for e in range(3):
    run.log({"epoch": e, "val_loss": 1.0 / (e + 1), "val_acc": e / 3})
run.finish()
