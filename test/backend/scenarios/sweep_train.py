"""The program a sweep agent runs: reads its parameters from wandb.config (filled by the agent
from the controller's `run` command) and logs a metric derived from them."""
import wandb

run = wandb.init()
lr = run.config["lr"]
layers = run.config["layers"]
for step in range(5):
    run.log({"loss": lr * layers / (step + 1)})
run.summary["final"] = lr * layers
run.finish()
