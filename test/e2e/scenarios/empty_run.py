"""An empty run: init, then finish."""
import wandb
from _common import project, run_id, settings

run = wandb.init(project=project(), id=run_id(), settings=settings())
run.finish()
