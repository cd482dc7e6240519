"""An online run for coreweave.test.ts: CW_SETTINGS holds the JSON of extra wandb.Settings fields.

Logs one step and finishes; prints one JSON line with the run's id and its local directory.
"""
import json
import os

import wandb

rid = os.environ["E2E_RUN_ID"]
extra = json.loads(os.environ.get("CW_SETTINGS", "{}"))
run = wandb.init(project="coreweave", id=rid, settings=wandb.Settings(**extra))
run.log({"x": 1})
run_dir = os.path.dirname(run._settings.files_dir)
run.finish()
print(json.dumps({"id": rid, "dir": run_dir}))
