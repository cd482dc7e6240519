"""save_code inside a git repository with uncommitted changes: code/<script> and diff.patch are uploaded."""
import wandb
from _common import project, run_id

run = wandb.init(project=project(), id=run_id(), save_code=True, settings=wandb.Settings(x_disable_stats=True, disable_git=False))
run.log({"x": 1})
run.finish()
