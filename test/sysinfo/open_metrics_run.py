"""An online run that scrapes OpenMetrics endpoints every second (open-metrics.test.ts).

OM_SETTINGS holds the JSON of the wandb.Settings fields to pass (x_stats_open_metrics_endpoints,
_filters, _http_headers). The run stays live until the server has two stats events with an
`openmetrics.` key (polled with a deadline), then prints one JSON line: the run id and its
directory.
"""
import json
import os

import wandb
from _common import project, run_id
from _parity import run_has, wait_until

extra = json.loads(os.environ["OM_SETTINGS"])
rid = run_id()
run = wandb.init(
    project=project(),
    id=rid,
    settings=wandb.Settings(x_stats_sampling_interval=1, x_file_stream_transmit_interval=1, **extra),
)


def scraped(r) -> bool:
    return sum(1 for e in r["events"] if any(k.startswith("system.openmetrics.") for k in e)) >= 2


run.summary["scraped"] = wait_until(lambda: run_has(rid, scraped), timeout=60)
run_dir = os.path.dirname(run._settings.files_dir)
run.finish()
print(json.dumps({"id": rid, "dir": run_dir}))
