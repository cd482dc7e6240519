"""Helpers for the parity scenarios: read the local backend's inspection API while a run is live.

Scenarios use it to observe what has reached the server *before* finish (a "now" file, a
preempting state, system metrics), polling with a deadline instead of sleeping.
"""
import base64
import json
import os
import time
import urllib.request


def inspect_runs() -> list:
    base = os.environ["WANDB_BASE_URL"].rstrip("/")
    with urllib.request.urlopen(f"{base}/_inspect/runs", timeout=10) as r:
        return json.load(r)


def backend_run(run_name: str):
    return next((r for r in inspect_runs() if r["id"] == run_name), None)


def wait_until(predicate, timeout: float = 60.0, interval: float = 0.1) -> bool:
    """Polls `predicate()` until it is truthy or `timeout` seconds pass; returns whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def run_has(run_name: str, check) -> bool:
    r = backend_run(run_name)
    return r is not None and bool(check(r))


def run_file_text(run_name: str, name: str):
    """The uploaded content of a run file as the server has it now (None while it has none)."""
    r = backend_run(run_name)
    if r is None or name not in r["files"]:
        return None
    base = os.environ["WANDB_BASE_URL"].rstrip("/")
    query = """query F($p: String!, $e: String!, $r: String!, $n: [String]) {
        project(name: $p, entityName: $e) { run(name: $r) { files(names: $n) { edges { node { directUrl } } } } } }"""
    body = json.dumps({"query": query, "variables": {"p": r["project"], "e": r["entity"], "r": run_name, "n": [name]}})
    auth = base64.b64encode(f"api:{os.environ['WANDB_API_KEY']}".encode()).decode()
    req = urllib.request.Request(f"{base}/graphql", data=body.encode(), headers={"Content-Type": "application/json", "Authorization": f"Basic {auth}"})
    with urllib.request.urlopen(req, timeout=10) as res:
        edges = json.load(res)["data"]["project"]["run"]["files"]["edges"]
    if not edges:
        return None
    with urllib.request.urlopen(edges[0]["node"]["directUrl"], timeout=10) as res:
        return res.read().decode()
