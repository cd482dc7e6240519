"""The real `sweeps` 0.2.0 package (the search engine of wandb's local controller) as a test
oracle. Reads a JSON list of cases on stdin, writes a JSON list of results on stdout; each
result is {"ok": ...} or {"error": "<exception type>: <message>"}. Runs are given as
{name, state, config, summaryMetrics, history}.
  {"op": "grid", "config", "runs", "steps"}   -> the configs next_run proposes, each appended to
                                                the runs as pending, until None (kept) or steps
  {"op": "sample", "config", "n", "seed"}     -> n configs of next_run (python random seeded)
  {"op": "draw", "name", "settings", "n", "seed"} -> n values of HyperParameter.sample() (what random
                                                search assigns each parameter), random seeded
  {"op": "ppf", "name", "settings", "xs"}     -> HyperParameter(name, settings).ppf(x) for each x
  {"op": "cdf", "name", "settings", "xs"}     -> HyperParameter(name, settings).cdf(x) for each x
  {"op": "stop", "config", "runs"}            -> names of the runs stop_runs returns
  {"op": "next", "config", "runs", "seed"}    -> one next_run config (numpy and random seeded)
  {"op": "violations", "config"}              -> schema_violations_from_proposed_config
"""
import json
import random
import sys
import warnings

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import sweeps  # noqa: E402
from sweeps.params import HyperParameter  # noqa: E402


def add_flattened(run, config):
    """Also records a nested parameter under its flattened name, as later sweeps match runs
    (wandb/sweeps#121): what nexus's grid does, so it can be compared with 0.2.0's order."""
    from sweeps.params import HyperParameterSet

    delim = HyperParameterSet.NESTING_DELIMITER
    for param in HyperParameterSet.from_config(config["parameters"]):
        if delim not in param.name:
            continue
        top, *path = param.name.split(delim)
        node = run.config.get(top, {}).get("value")
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        run.config[param.name] = {"value": node}


def plain(v):
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, np.ndarray):
        return plain(v.tolist())
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return repr(v)
    return v


def to_run(r):
    return sweeps.SweepRun(
        name=r["name"], state=r["state"], config=r["config"],
        summaryMetrics=r.get("summaryMetrics", {}), sampledHistory=r.get("history", []),
    )


def run(case):
    op = case["op"]
    if op == "grid":
        runs = [to_run(r) for r in case.get("runs", [])]
        out = []
        for _ in range(case.get("steps", 1000)):
            nxt = sweeps.next_run(case["config"], runs)
            out.append(None if nxt is None else plain(nxt.config))
            if nxt is None:
                break
            nxt.name = f"oracle-{len(runs)}"
            if case.get("flatten"):
                add_flattened(nxt, case["config"])
            runs.append(nxt)
        return out
    if op == "sample":
        random.seed(case["seed"])
        return [plain(sweeps.next_run(case["config"], []).config) for _ in range(case["n"])]
    if op == "draw":
        random.seed(case["seed"])
        p = HyperParameter(case["name"], case["settings"])
        return [plain(p.sample()) for _ in range(case["n"])]
    if op == "ppf":
        p = HyperParameter(case["name"], case["settings"])
        return [plain(p.ppf(x)) for x in case["xs"]]
    if op == "cdf":
        p = HyperParameter(case["name"], case["settings"])
        return [plain(p.cdf(x)) for x in case["xs"]]
    if op == "stop":
        return [r.name for r in sweeps.stop_runs(case["config"], [to_run(r) for r in case["runs"]])]
    if op == "next":
        random.seed(case.get("seed", 0))
        np.random.seed(case.get("seed", 0))
        nxt = sweeps.next_run(case["config"], [to_run(r) for r in case.get("runs", [])])
        return None if nxt is None else plain(nxt.config)
    if op == "violations":
        return sweeps.schema_violations_from_proposed_config(case["config"])
    raise ValueError(f"unknown op {op}")


def main():
    results = []
    for case in json.load(sys.stdin):
        try:
            results.append({"ok": run(case)})
        except Exception as e:  # noqa: BLE001 - every failure is a result here
            results.append({"error": f"{type(e).__name__}: {e}"})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
