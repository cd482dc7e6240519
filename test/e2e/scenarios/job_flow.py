"""Launch jobs: a run with job creation enabled (disable_job_creation=False) in a git repository
with a remote, with saved code, or with a docker image leaves a `job` artifact.

Usage: python job_flow.py MODE
MODE: "repo" (git remote + commit), "inputs" (repo, plus manage_config_file and
manage_wandb_config with include/exclude paths and schemas), "code" (run.log_code, no git),
"image" (WANDB_DOCKER set by the caller), "disabled" (the SDK default: no job), "nosource"
(job creation on, but no git, code or image).
"""
import os
import sys

import wandb
from wandb.sdk import launch
from _common import project, run_id, settings

CONFIG = {
    "lr": 0.01,
    "epochs": 3,
    "name": "resnet",
    "flags": [True, False],
    "model": {"layers": 18, "act": "relu", "secret": "s3", "dims": [64, 128]},
    "empty": {},
    "nothing": None,
}

CONFIG_FILE = """model:
  name: resnet
  layers: 18
training:
  epochs: 10
  batch_size: 32
  schedule: [1, 2.5, 4]
"""

FILE_SCHEMA = {
    "type": "object",
    "properties": {
        "model": {"type": "object", "properties": {"layers": {"type": "integer", "minimum": 1, "maximum": 200}}},
        "training": {"type": "object", "properties": {"epochs": {"type": "integer", "description": "passes <over> the data & more"}}},
    },
}

CONFIG_SCHEMA = {
    "type": "object",
    "properties": {"lr": {"type": "number", "exclusiveMinimum": 0}, "model": {"type": "object", "properties": {"act": {"enum": ["relu", "gelu"]}}}},
}


def main():
    mode = sys.argv[1]
    extra = {} if mode == "disabled" else {"disable_job_creation": False}
    if mode == "inputs":
        with open("train-config.yaml", "w") as f:
            f.write(CONFIG_FILE)
        # declared before init: staged, then sent once the run exists
        launch.manage_config_file("train-config.yaml", include=["model", "training"], exclude=["training.batch_size"], schema=FILE_SCHEMA)
    # repo: save_code too, so that the uncommitted change is saved as diff.patch (part of a repo job)
    run = wandb.init(project=project(), id=run_id(), config=CONFIG, save_code=mode == "repo", settings=settings(**extra))
    if mode == "inputs":
        launch.manage_wandb_config(include=["lr", "model"], exclude=["model.secret"], schema=CONFIG_SCHEMA)
    if mode == "code":
        run.log_code(".")
    for step in range(3):
        run.log({"loss": 1.0 / (step + 1), "acc": step * 0.25, "tag": f"s{step}"})
    run.summary["best"] = {"loss": 0.33, "epoch": 2}
    run.finish()


if __name__ == "__main__":
    main()
