"""A small training loop, run offline by the README demo (through nexus as wandb-core).

Usage: python demo_train.py RUN_NAME LR
"""
import math
import random
import sys

import wandb

name, lr = sys.argv[1], float(sys.argv[2])
random.seed(name)
run = wandb.init(project="nexus-demo", name=name, mode="offline", config={"lr": lr, "epochs": 5, "batch_size": 64},
                 settings=wandb.Settings(x_disable_stats=True))
loss = 2.0
for epoch in range(5):
    for step in range(40):
        loss = max(0.01, loss * (1 - lr * 10) + random.uniform(-0.02, 0.02))
        run.log({"train/loss": loss, "train/acc": 1 - loss / 2.2, "epoch": epoch})
    val = loss * 1.1
    run.log({"val/loss": val, "val/acc": 1 - val / 2.2})
    print(f"epoch {epoch}: loss={loss:.4f} val_loss={val:.4f}")
run.summary["best_val_loss"] = val
run.finish()
