"""wandb.save of a single file and of globs with policies "now", "end" and "live".

What reached the backend before finish is recorded in the summary: a "now" file is there while
the run is live, an "end" file is not, and a "live" file's first version is uploaded before it
changes (its last version must be what the server has at the end).
"""
import hashlib
import os

import wandb
from _common import project, run_id, settings
from _parity import run_has, wait_until


def write(path: str, text: str) -> str:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return hashlib.md5(text.encode()).hexdigest()


def has_file(name: str, md5: str | None = None):
    return lambda r: name in r["files"] and (md5 is None or r["files"][name]["md5"] == md5)


rid = run_id()
run = wandb.init(project=project(), id=rid, settings=settings())
now_md5 = write("now.txt", "uploaded right away\n")
run.save("now.txt", policy="now")
for name in ("a.txt", "b.txt", "skip.csv"):
    write(f"data/{name}", f"data file {name}\n")
run.save("data/*.txt", policy="end")
write("data/sub/deep.txt", "deep file\n")
run.save("data/sub/*.txt", base_path="data", policy="now")
live_v1 = write("live.txt", "live version 1\n")
run.save("live.txt", policy="live")

run.summary["now_seen_live"] = wait_until(lambda: run_has(rid, has_file("now.txt", now_md5)))
run.summary["deep_seen_live"] = wait_until(lambda: run_has(rid, has_file("sub/deep.txt")))
run.summary["live_v1_seen_live"] = wait_until(lambda: run_has(rid, has_file("live.txt", live_v1)))
run.summary["end_absent_live"] = not run_has(rid, has_file("data/a.txt"))
write("live.txt", "live version 2, longer than the first\n")
run.log({"step_done": 1})
run.finish()
