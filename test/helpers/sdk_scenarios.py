"""Runs small wandb SDK scenarios, used by tests that need files or traffic the real SDK produces.

Usage: python sdk_scenarios.py SCENARIO   (environment decides mode, dirs and server, e.g.
WANDB_MODE=offline WANDB_DIR=/tmp/x). Prints one JSON line {"run_id": ..., "dir": ...} at the end.
"""
import json
import math
import sys

import wandb


def basic(run):
    run.config.update({"lr": 0.01, "layers": [64, 32], "opt": {"name": "adam", "beta": 0.9}})
    for i in range(50):
        run.log({"loss": 1.0 / (i + 1), "acc": i / 50, "nested": {"a": i, "b": {"c": i * 2}}})
    run.summary["best"] = 0.5


def big_records(run):
    # A config value and a history value far larger than one 32 KiB block.
    run.config.update({"blob": "x" * 50_000})
    run.log({"text": "y" * 100_000, "n": 1})
    run.log({"text": "z" * 70_000, "n": 2})


def many_steps(run):
    for i in range(3000):
        run.log({"step_metric": i, "sq": i * i, "nan": math.nan if i % 100 == 0 else i})


SCENARIOS = {"basic": basic, "big_records": big_records, "many_steps": many_steps}


def main():
    name = sys.argv[1]
    run = wandb.init(project="txlog-check", settings=wandb.Settings(x_disable_stats=True))
    SCENARIOS[name](run)
    run_id, run_dir = run.id, run.dir
    run.finish()
    print(json.dumps({"run_id": run_id, "dir": run_dir}))


if __name__ == "__main__":
    main()
