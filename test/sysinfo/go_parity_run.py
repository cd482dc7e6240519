"""An offline run of the real SDK (Go wandb-core 0.31) sampling system metrics every second.

Prints one JSON line: the run's Settings proto (hex) and its .wandb file, for go-parity.test.ts.
"""
import json
import os
import time

import wandb

run = wandb.init(project="sysinfo-parity", mode="offline", settings=wandb.Settings(x_stats_sampling_interval=1))
start = time.time()
n = 0
while time.time() - start < 3.5:  # keep one core busy so `cpu` is clearly non-zero
    n += 1
settings = run._settings.to_proto().SerializeToString().hex()
wandb_file = os.path.join(run._settings.sync_dir, f"run-{run.id}.wandb")
run.finish()
print(json.dumps({"settings": settings, "wandb_file": wandb_file}))
