"""An offline run that logs a directory artifact (nested path, aliases, metadata) and a single
file; `wandb sync` of its run directory uploads the artifacts later."""
import os

import wandb
from _common import project, run_id, settings


def main():
    data_dir = os.path.join(os.getcwd(), "offline-dataset")
    files = {"a.txt": b"offline alpha\n" * 50, "sub/deep/b.bin": bytes(range(256)) * 4, "empty": b""}
    for name, data in files.items():
        path = os.path.join(data_dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    run = wandb.init(project=project(), id=run_id(), mode="offline", settings=settings())
    run.log({"x": 1})
    artifact = wandb.Artifact("offline-data", type="dataset", description="logged offline", metadata={"rows": 3})
    artifact.add_dir(data_dir)
    run.log_artifact(artifact, aliases=["offline", "shared"])
    single = wandb.Artifact("offline-file", type="model")
    single.add_file(os.path.join(data_dir, "a.txt"), name="weights/a.txt")
    run.log_artifact(single)
    run.finish()


if __name__ == "__main__":
    main()
