"""mode="disabled": the whole API works locally, no service process is started.

Prints the command lines of this process's children while the run is live (JSON on the last
stdout line), so the test can check that no wandb-core was launched.
"""
import glob
import json

import wandb
from _common import project, run_id, settings


def children() -> list:
    out = []
    for path in glob.glob("/proc/self/task/*/children"):
        for pid in open(path).read().split():
            try:
                out.append(open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode().strip())
            except OSError:
                pass
    return out


run = wandb.init(project=project(), id=run_id(), mode="disabled", config={"lr": 0.1}, settings=settings())
run.config.update({"batch": 8})
for i in range(10):
    run.log({"loss": 1.0 / (i + 1)})
run.summary["best"] = 0.1
run.alert(title="t", text="x")
run.save(__file__, policy="now")
live_children = children()
state = {"disabled": run.disabled, "children": live_children, "summary_best": run.summary["best"]}
run.finish()
print(json.dumps(state))
