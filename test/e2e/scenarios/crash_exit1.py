"""The script raises: the run must end failed with exit code 1."""
import wandb
from _common import project, run_id, settings

run = wandb.init(project=project(), id=run_id(), settings=settings())
run.log({"before_crash": 1})
raise RuntimeError("boom")
