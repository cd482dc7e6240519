"""run.mark_preempting: the server sees the run as preempting while it is still live."""
import wandb
from _common import project, run_id, settings
from _parity import run_has, wait_until

rid = run_id()
run = wandb.init(project=project(), id=rid, settings=settings())
run.log({"x": 1})
run.mark_preempting()
run.summary["saw_preempting"] = wait_until(lambda: run_has(rid, lambda r: r["state"] == "preempting"))
run.finish()
