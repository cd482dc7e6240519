"""Creates offline runs for the sync benchmarks: BENCH_RUNS runs of BENCH_STEPS steps × 20 metrics."""
import os

import wandb

runs = int(os.environ.get("BENCH_RUNS", "1"))
steps = int(os.environ.get("BENCH_STEPS", "1000"))
for r in range(runs):
    run = wandb.init(project="bench-sync", mode="offline", reinit="create_new", settings=wandb.Settings(x_disable_stats=True))
    for i in range(steps):
        run.log({f"m{k}": (i * (k + 1)) % 1009 / 1009 for k in range(20)})
        if i % 500 == 0:
            print(f"step {i}")
    run.finish()
