"""anonymous="allow" and anonymous="must": deprecated no-ops in the 0.31 SDK (a warning, then a
normal run with the API key)."""
import wandb
from _common import project, run_id, settings

for mode in ("allow", "must"):
    run = wandb.init(project=project(), id=run_id(f"-{mode}"), anonymous=mode, settings=settings())
    run.log({"mode": mode})
    run.finish()
