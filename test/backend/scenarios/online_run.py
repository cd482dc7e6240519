"""The acceptance scenario for a full run: config, 1000 logged steps (with NaN/±Infinity values),
summary, define_metric, a saved file, an alert, log_artifact, use_artifact + download, finish.

Usage: python online_run.py OUT_JSON   (mode, server and directories come from the environment).
Writes OUT_JSON with what the backend should now hold, computed locally: the run path, the expected
history, summary and config, and the MD5s of the saved and artifact files.
"""
import hashlib
import json
import math
import os
import sys

import wandb

STEPS = 1000


def md5_hex(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def special(i):
    """A value that is sometimes non-finite, to exercise extended JSON."""
    if i == 10:
        return math.nan
    if i == 20:
        return math.inf
    if i == 30:
        return -math.inf
    return i * 0.5


def main():
    out_path = sys.argv[1]
    offline = os.environ.get("WANDB_MODE") == "offline"
    run = wandb.init(
        project="nexus-e2e",
        config={"lr": 0.01, "layers": [64, 32], "optimizer": {"name": "adam", "beta": 0.9}},
        tags=["e2e", "nexus"],
        notes="backend acceptance run",
        group="acceptance",
        job_type="train",
    )
    run.define_metric("loss", summary="min")
    run.config.update({"batch_size": 32})
    for i in range(STEPS):
        run.log({"loss": 1.0 / (i + 1), "acc": i / STEPS, "special": special(i), "nested": {"a": i, "b": {"c": i * 2}}})
    run.summary["best_acc"] = 0.999
    run.summary["notes"] = {"text": "done", "n": 3}

    saved = os.path.join(run.dir, "saved.txt")
    with open(saved, "w") as f:
        f.write("saved file contents\n" * 100)
    run.save(saved, base_path=run.dir, policy="now")

    data_dir = os.path.join(os.getcwd(), "dataset")
    os.makedirs(os.path.join(data_dir, "sub"), exist_ok=True)
    files = {"a.txt": b"alpha\n" * 1000, "sub/b.bin": bytes(range(256)) * 64, "empty.txt": b""}
    for name, data in files.items():
        with open(os.path.join(data_dir, name), "wb") as f:
            f.write(data)
    artifact = wandb.Artifact("e2e-dataset", type="dataset", metadata={"rows": 3})
    artifact.add_dir(data_dir)
    logged = run.log_artifact(artifact, aliases=["first"])

    downloaded = {}
    if not offline:
        run.alert(title="acceptance alert", text="the run reached the end", level=wandb.AlertLevel.WARN)
        logged.wait()
        used = run.use_artifact("e2e-dataset:latest")
        root = used.download(root=os.path.join(os.getcwd(), "downloaded"))
        downloaded = {name: md5_hex(os.path.join(root, name)) for name in files}

    result = {
        "entity": run.entity,
        "project": run.project,
        "run_id": run.id,
        "steps": STEPS,
        "saved_md5": md5_hex(saved),
        "saved_size": os.path.getsize(saved),
        "artifact_files": {name: {"md5": hashlib.md5(data).hexdigest(), "size": len(data)} for name, data in files.items()},
        "downloaded": downloaded,
        "run_dir": run.dir,
    }
    run.finish()
    with open(out_path, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
