"""run.alert with each level, an explicit wait_duration and the default level."""
import wandb
from _common import project, run_id, settings

run = wandb.init(project=project(), id=run_id(), settings=settings())
run.alert(title="Low accuracy", text="acc 0.12 is below 0.5", level=wandb.AlertLevel.WARN)
run.alert(title="Loss exploded", text="loss is NaN", level="ERROR", wait_duration=5)
run.alert(title="Done", text="training finished")
run.finish()
