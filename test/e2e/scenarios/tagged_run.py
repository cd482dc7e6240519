"""wandb.init with tags, notes, name, group and job_type."""
import wandb
from _common import project, run_id, settings

run = wandb.init(
    project=project(), id=run_id(), name="my display name", notes="some notes", tags=["alpha", "beta"],
    group="group-1", job_type="train", settings=settings(),
)
run.log({"x": 1})
run.tags = run.tags + ("gamma",)
run.finish()
