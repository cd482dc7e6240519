"""A large offline run for sync tests: E2E_STEPS steps of 10 metrics, console output, saved files."""
import os

import wandb
from _common import project, run_id, settings

steps = int(os.environ.get("E2E_STEPS", "50000"))
run = wandb.init(project=project(), id=run_id(), mode="offline", config={"steps": steps}, settings=settings())
for name, size in (("weights.bin", 300_000), ("notes.txt", 2_000)):
    path = os.path.join(run.dir, name)
    with open(path, "wb") as f:
        f.write(bytes((i * 7) % 251 for i in range(size)))
    run.save(path, base_path=run.dir, policy="now")
for i in range(steps):
    run.log({f"m{k}": (i * (k + 1)) % 997 / 997 for k in range(10)} | {"step_name": f"s{i}"})
    if i % 1000 == 0:
        print(f"progress {i}/{steps}")
run.summary["final"] = "done"
run.finish()
