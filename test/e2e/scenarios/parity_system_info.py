"""System info: wandb-metadata.json with the system monitor on (machine facts: CPU counts, memory,
disk, OS, Python), and a second run with x_disable_meta (no metadata file at all).

The machine probe is best-effort and asynchronous in Go core (a run that finishes at once may
upload only the execution context), so the first run stays live until the server has the
hardware part of the description (polled with a deadline).
"""
import wandb
from _common import project, run_id, settings
from _parity import run_file_text, wait_until

rid = run_id()
run = wandb.init(project=project(), id=rid, settings=wandb.Settings())
run.log({"x": 1})
run.summary["probed"] = wait_until(lambda: "cpu_count" in (run_file_text(rid, "wandb-metadata.json") or ""), timeout=60)
run.finish()

run = wandb.init(project=project(), id=run_id("-nometa"), settings=settings(x_disable_meta=True))
run.log({"x": 2})
run.finish()
