"""Artifacts end to end: log a directory (nested path, aliases, metadata), log a second version with
one file changed (unchanged files are not uploaded again), log identical content again (digest
dedup), use the first version and download it, link the second version into a portfolio.

Usage: python artifact_flow.py OUT_JSON
Writes OUT_JSON with {"downloaded": {path: hex md5}, "source": {path: hex md5}}: the files the SDK
downloaded from the used version, and the files it was logged from.
"""
import hashlib
import json
import os
import sys

import wandb
from _common import project, run_id, settings

FILES_V0 = {
    "a.txt": b"alpha\n" * 500,
    "b.bin": bytes(range(256)) * 32,
    "nested/deep/c.json": b'{"c": [1, 2, 3]}\n',
    "empty.txt": b"",
}


def md5_hex(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def write_tree(root, files):
    for name, data in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def main():
    out_path = sys.argv[1]
    data_dir = os.path.join(os.getcwd(), "dataset")
    write_tree(data_dir, FILES_V0)
    source = {name: hashlib.md5(data).hexdigest() for name, data in FILES_V0.items()}

    run = wandb.init(project=project(), id=run_id(), settings=settings())

    first = wandb.Artifact(
        "e2e-data", type="dataset", description="the first version",
        metadata={"rows": 4, "nested": {"split": [0.8, 0.2], "name": "<train & test>"}},
    )
    first.add_dir(data_dir)
    run.log_artifact(first, aliases=["first", "shared"])
    first.wait()

    write_tree(data_dir, {"a.txt": b"alpha changed\n" * 100})
    second = wandb.Artifact("e2e-data", type="dataset", metadata={"rows": 4, "version": 2})
    second.add_dir(data_dir)
    run.log_artifact(second, aliases=["second"])
    second.wait()

    again = wandb.Artifact("e2e-data", type="dataset")
    again.add_dir(data_dir)
    run.log_artifact(again, aliases=["again"])
    again.wait()

    model = wandb.Artifact("e2e-model", type="model")
    model.add_file(os.path.join(data_dir, "b.bin"), name="weights/b.bin")
    run.log_artifact(model)
    model.wait()

    used = run.use_artifact("e2e-data:v0")
    root = used.download(root=os.path.join(os.getcwd(), "downloaded"))
    downloaded = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            full = os.path.join(dirpath, name)
            downloaded[os.path.relpath(full, root)] = md5_hex(full)

    run.link_artifact(second, f"{run.entity}/{run.project}/e2e-portfolio", aliases=["prod"])
    run.finish()

    with open(out_path, "w") as f:
        json.dump({"downloaded": downloaded, "source": source}, f, sort_keys=True)


if __name__ == "__main__":
    main()
