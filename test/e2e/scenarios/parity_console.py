"""Console capture: stdout and stderr lines, tqdm-like carriage-return progress, a long line,
non-ASCII text and output written without a trailing newline before finish."""
import sys

import wandb
from _common import project, run_id, settings

run = wandb.init(project=project(), id=run_id(), settings=settings())
print("plain stdout line")
print("a stderr line", file=sys.stderr)
for pct in range(0, 101, 20):
    sys.stdout.write(f"\rprogress: {pct:3d}% |{'#' * (pct // 10):<10}|")
    sys.stdout.flush()
sys.stdout.write("\n")
for i in range(3):
    sys.stderr.write(f"\repoch {i}")
    sys.stderr.flush()
sys.stderr.write("\n")
print("unicode: héllo wörld ✓ 日本語")
print("x" * 500)
print("tab\tseparated\tcolumns")
print("multi\nline\nprint")
sys.stdout.write("no trailing newline")
sys.stdout.flush()
run.finish()
