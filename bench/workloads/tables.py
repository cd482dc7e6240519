"""Workload (W&B tools/bench v1-tables): 1 run, N steps × M single-row tables."""
import json
import os
import time

import wandb

steps = int(os.environ.get("BENCH_STEPS", "10"))
tables = int(os.environ.get("BENCH_TABLES", "20"))
t0 = time.perf_counter()
run = wandb.init(project="bench", settings=wandb.Settings(x_disable_stats=True))
for s in range(steps):
    run.log({f"table_{t}": wandb.Table(columns=["step", "value"], data=[[s, s * t]]) for t in range(tables)})
t1 = time.perf_counter()
run.finish()
t2 = time.perf_counter()
print(json.dumps({"wall_s": t2 - t0, "finish_s": t2 - t1}))
