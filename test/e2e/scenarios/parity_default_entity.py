"""No WANDB_ENTITY and no entity argument: the run lands in the viewer's default entity."""
import os

os.environ.pop("WANDB_ENTITY", None)

import wandb  # noqa: E402
from _common import project, run_id, settings  # noqa: E402

run = wandb.init(project=project(), id=run_id(), settings=settings())
run.log({"x": 1})
run.summary["entity_seen_by_sdk"] = run.entity
run.finish()
