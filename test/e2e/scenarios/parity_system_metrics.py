"""System metrics sampled every 0.5 s: the run stays live until the server has several stats
events (polled with a deadline), so both services report for a comparable time."""
import wandb
from _common import project, run_id
from _parity import run_has, wait_until

rid = run_id()
run = wandb.init(project=project(), id=rid, settings=wandb.Settings(x_stats_sampling_interval=0.5, x_file_stream_transmit_interval=1))
run.log({"x": 1})
run.summary["saw_events"] = wait_until(lambda: run_has(rid, lambda r: len(r["events"]) >= 4), timeout=60)
run.finish()
