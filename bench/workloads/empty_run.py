"""Workload: an empty run (init then finish). Prints {"wall_s"}."""
import json
import time

import wandb

t0 = time.perf_counter()
run = wandb.init(project="bench", settings=wandb.Settings(x_disable_stats=True))
run.finish()
print(json.dumps({"wall_s": time.perf_counter() - t0}))
