"""resume="must" continues an earlier run's steps; resume="allow" creates or continues;
resume="must" of an unknown run fails."""
import wandb
from _common import project, run_id, settings

rid = run_id()
run = wandb.init(project=project(), id=rid, config={"lr": 0.1}, settings=settings())
for i in range(5):
    run.log({"loss": 1.0 / (i + 1), "phase": 1})
run.summary["first_best"] = 0.5
run.finish()

run = wandb.init(project=project(), id=rid, resume="must", settings=settings())
run.config.update({"resumed_at": run.starting_step, "was_resumed": run.resumed})
for i in range(5):
    run.log({"loss": 0.1 / (i + 1), "phase": 2})
run.finish()

try:
    wandb.init(project=project(), id=run_id("-missing"), resume="must", settings=settings())
    missing = "no error"
except Exception as e:  # the SDK raises when the run to resume does not exist
    missing = type(e).__name__
    wandb.finish()

run = wandb.init(project=project(), id=run_id("-allow"), resume="allow", settings=settings())
run.summary.update({"resumed": run.resumed, "start": run.starting_step, "missing_error": missing})
run.log({"loss": 3.0})
run.finish()

run = wandb.init(project=project(), id=rid, resume="allow", settings=settings())
run.summary.update({"resumed_again": run.resumed, "start_again": run.starting_step})
run.log({"loss": 0.01, "phase": 3})
run.finish()
