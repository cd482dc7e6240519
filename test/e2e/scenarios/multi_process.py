"""4 processes, each with its own run (they share the parent's service)."""
import multiprocessing as mp

import wandb
from _common import project, run_id, settings


def work(i: int) -> None:
    run = wandb.init(project=project(), id=run_id(f"-p{i}"), config={"worker": i}, settings=settings())
    for s in range(25):
        run.log({"value": s * (i + 1)})
    run.finish()


if __name__ == "__main__":
    wandb.setup()
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=work, args=(i,)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    codes = [p.exitcode for p in procs]
    if any(codes):
        raise SystemExit(f"workers failed: {codes}")
