"""Media: wandb.Image from a numpy array, wandb.Histogram, wandb.Table and wandb.Html, at two steps."""
import numpy as np

import wandb
from _common import project, run_id, settings

run = wandb.init(project=project(), id=run_id(), settings=settings())
for step in range(2):
    pixels = ((np.arange(16 * 24 * 3).reshape(16, 24, 3) * (step + 3)) % 256).astype(np.uint8)
    table = wandb.Table(columns=["step", "name", "score"], data=[[step, "a", 0.5], [step, "b", 0.25 * (step + 1)]])
    run.log({
        "image": wandb.Image(pixels, caption=f"gradient {step}"),
        "hist": wandb.Histogram(np.arange(200) % (7 + step)),
        "hist_np": wandb.Histogram(np_histogram=([1, 2, 3], [0, 1, 2, 3])),
        "table": table,
        "html": wandb.Html(f"<h1>step {step}</h1>"),
        "images": [wandb.Image(pixels[:8], caption="top"), wandb.Image(pixels[8:], caption="bottom")],
    })
run.finish()
