"""Workload (W&B tools/bench v1-scalars, one process): 1 run, N log() calls of M floats."""
import json
import os
import random
import time

import wandb

steps = int(os.environ.get("BENCH_STEPS", "100"))
metrics = int(os.environ.get("BENCH_METRICS", "100"))
t0 = time.perf_counter()
run = wandb.init(project="bench", settings=wandb.Settings(x_disable_stats=True))
keys = [f"metric_{i}" for i in range(metrics)]
for _ in range(steps):
    run.log({k: random.random() for k in keys})
t1 = time.perf_counter()
run.finish()
t2 = time.perf_counter()
print(json.dumps({"wall_s": t2 - t0, "log_s": t1 - t0, "finish_s": t2 - t1}))
