"""An offline run with 51 history rows, a wandb.Table (a run-table artifact) and a model artifact:
the run that must reach every destination complete, however often it is synced."""
import os

import wandb
from _common import project, run_id, settings


def main():
    weights = os.path.join(os.getcwd(), "model.bin")
    with open(weights, "wb") as f:
        f.write(bytes(range(256)) * 64)
    run = wandb.init(project=project(), id=run_id(), mode="offline", settings=settings())
    for step in range(51):
        row = {"loss": 1.0 / (step + 1)}
        if step == 25:
            row["predictions"] = wandb.Table(columns=["id", "label"], data=[[i, f"class-{i % 3}"] for i in range(10)])
        run.log(row)
    model = wandb.Artifact("tiny-model", type="model")
    model.add_file(weights)
    run.log_artifact(model)
    run.finish()


if __name__ == "__main__":
    main()
