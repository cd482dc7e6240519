"""Real tfevents files written by PyTorch's SummaryWriter, synced from one log directory.

The archive named by E2E_TB_FIXTURE holds tb/run1/ with the main events file (scalars,
histograms, images, PR curves, text), add_scalars sub-runs (multi_a/, multi_b/) and an add_hparams
sub-directory. The files are unpacked under the working directory with their names stamped for
this machine and this run (`tfevents.<now>.<hostname>.…`, as a writer here would have named
them), then the run is told about tb/run1 exactly as the patched writer would
(`run._tensorboard_callback`, which sends the tbrecord), with the root tb/ given.
"""
import os
import re
import socket
import tarfile
import time

import wandb
from _common import project, run_id, settings

run = wandb.init(project=project(), id=run_id(), settings=settings())

stamp = f"tfevents.{int(time.time())}.{socket.gethostname()}."
with tarfile.open(os.environ["E2E_TB_FIXTURE"]) as archive:
    for member in archive.getmembers():
        if not member.isfile():
            continue
        target = re.sub(r"tfevents\.\d+\.[^.]+\.", stamp, member.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with archive.extractfile(member) as src, open(target, "wb") as dst:
            dst.write(src.read())

run._tensorboard_callback("tb/run1", save=True, root_logdir="tb")
run.finish()
