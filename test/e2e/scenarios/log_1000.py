"""init → config → 1000 × log (scalars, nested dicts, NaN/Inf) → summary edits → finish."""
import math

import wandb
from _common import project, run_id, settings

run = wandb.init(project=project(), id=run_id(), config={"lr": 0.001, "arch": {"layers": [64, 64], "act": "relu"}}, settings=settings())
run.config.update({"batch_size": 32, "arch": {"dropout": 0.1}}, allow_val_change=True)
run.config["epochs"] = 5
for i in range(1000):
    row = {
        "loss": 1.0 / (i + 1),
        "acc": i / 1000,
        "nested": {"a": i, "b": {"c": i * 0.5}},
        "flag": i % 2 == 0,
        "name": f"step-{i}",
    }
    if i % 100 == 0:
        row["special"] = [math.nan, math.inf, -math.inf][(i // 100) % 3]
    run.log(row)
run.summary["best_acc"] = 0.99
run.summary.update({"final": {"loss": 0.001, "tag": "done"}})
del run.summary["acc"]
print("training finished")
run.finish()
