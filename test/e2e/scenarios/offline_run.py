"""An offline run with a bit of everything; prints its run directory for `wandb sync`."""
import math

import wandb
from _common import project, run_id, settings

run = wandb.init(project=project(), id=run_id(), mode="offline", config={"k": "v", "n": 1}, settings=settings())
for i in range(200):
    run.log({"loss": 1.0 / (i + 1), "nested": {"i": i}, "nan": math.nan if i == 5 else i})
run.summary["best"] = 1
print("offline output line")
run_dir = run.settings.sync_dir
run.finish()
print(f"RUN_DIR={run_dir}")
