"""wandb.restore of a file that an earlier run saved (by run path), read back in a second run."""
import os

import wandb
from _common import project, run_id, settings

first = wandb.init(project=project(), id=run_id("-src"), settings=settings())
with open("model.txt", "w") as f:
    f.write("weights: 1 2 3\n")
first.save("model.txt", policy="now")
source_path = first.path
first.finish()
os.remove("model.txt")

second = wandb.init(project=project(), id=run_id("-dst"), settings=settings())
restored = wandb.restore("model.txt", run_path=source_path)
second.summary["restored"] = restored.read() if restored else None
second.summary["restored_into_run_dir"] = bool(restored) and os.path.dirname(os.path.abspath(restored.name)) == os.path.abspath(second.dir)
second.finish()
