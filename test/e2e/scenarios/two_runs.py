"""Two runs in one process (reinit="create_new"), interleaved."""
import wandb
from _common import project, run_id, settings

r1 = wandb.init(project=project(), id=run_id("-a"), reinit="create_new", settings=settings())
r2 = wandb.init(project=project(), id=run_id("-b"), reinit="create_new", settings=settings())
for i in range(20):
    r1.log({"r1": i})
    r2.log({"r2": i * 2})
r1.summary["which"] = "first"
r2.summary["which"] = "second"
r2.finish()
r1.finish()
