"""Workload: a run that idles BENCH_IDLE_S seconds, with system metrics on or off (BENCH_STATS=1/0)
sampled every BENCH_INTERVAL_S seconds; the service's CPU difference is the monitor's cost."""
import json
import os
import time

import wandb

stats = os.environ.get("BENCH_STATS", "1") == "1"
interval = float(os.environ.get("BENCH_INTERVAL_S", "0.2"))
idle = float(os.environ.get("BENCH_IDLE_S", "6"))
run = wandb.init(project="bench", settings=wandb.Settings(x_disable_stats=not stats, x_stats_sampling_interval=interval))
time.sleep(idle)
run.finish()
print(json.dumps({"idle_s": idle}))
