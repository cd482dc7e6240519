"""Settings that change behaviour: run_group from WANDB_RUN_GROUP (set by the test), x_label
(console lines and file name), console="off", x_save_requirements=False, x_disable_meta."""
import wandb
from _common import project, run_id, settings

run = wandb.init(project=project(), id=run_id("-label"), settings=settings(x_label="worker-7", console="wrap"))
print("hello from a labelled run")
run.finish()

run = wandb.init(project=project(), id=run_id("-quiet"), settings=settings(console="off", x_save_requirements=False, x_disable_meta=True))
print("this line is not captured")
run.log({"x": 1})
run.finish()
