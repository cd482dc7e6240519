"""wandb.sweep (grid over 3 values) + wandb.agent(sweep_id, function=train, count=2) in-process:
two runs get their parameters from the server-side controller."""
import wandb
from _common import project, settings

SWEEP = {
    "method": "grid",
    "metric": {"name": "loss", "goal": "minimize"},
    "parameters": {"lr": {"values": [0.1, 0.01, 0.001]}, "layers": {"value": 2}},
}


def train():
    run = wandb.init(settings=settings())
    for step in range(3):
        run.log({"loss": run.config["lr"] * run.config["layers"] / (step + 1)})
    run.summary["final"] = run.config["lr"] * run.config["layers"]
    run.finish()


sweep_id = wandb.sweep(SWEEP, project=project())
wandb.agent(sweep_id, function=train, count=2)
print(f"SWEEP_ID={sweep_id}")
