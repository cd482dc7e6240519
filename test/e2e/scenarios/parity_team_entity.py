"""entity="some-team": the run lands in the team's entity, not the viewer's (nor WANDB_ENTITY's)."""
import wandb
from _common import project, run_id, settings

run = wandb.init(entity="some-team", project=project(), id=run_id(), settings=settings())
run.log({"x": 1})
run.summary["entity_seen_by_sdk"] = run.entity
run.finish()
