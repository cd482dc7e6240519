"""wandb 0.31's own agent as a test oracle for the trial it would start. Reads a JSON list of
cases on stdin; each case is {"cwd": DIR, "env": {...}, "sweep": ID, "command": LIST|null,
"runs": [COMMAND_JSON_TEXT, ...]} and runs `Agent._command_run` for each run command in turn on
one Agent (as the heartbeat loop would), with AgentProcess replaced by a recorder. Writes a JSON
list of results, one per case: {"trials": [{"argv": [...], "env": {WANDB_*...}, "yaml": TEXT,
"json": TEXT|null, "log": [...]}, ...]} or {"error": TEXT}.
"""
import json
import logging
import os
import sys

from wandb import env as wandb_env
from wandb import wandb_agent

recorded = []


class RecordingProcess:
    def __init__(self, env=None, command=None, function=None, run_id=None, in_jupyter=None, forward_signals=False):
        # the real AgentProcess drops WANDB_SERVICE from the environment before Popen
        env.pop(wandb_env.SERVICE, None)
        recorded.append({"argv": command, "env": {k: v for k, v in env.items() if k.startswith("WANDB_")}})


wandb_agent.AgentProcess = RecordingProcess


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def run(case):
    for k in [k for k in os.environ if k.startswith("WANDB_")]:
        del os.environ[k]
    os.environ.update(case["env"])
    os.chdir(case["cwd"])
    agent = wandb_agent.Agent(api=None, queue=None, sweep_id=case["sweep"])
    if case["command"]:
        agent._sweep_command = case["command"]
    trials = []
    for text in case["runs"]:
        handler = Lines()
        wandb_agent.logger.addHandler(handler)
        wandb_agent.logger.setLevel(logging.DEBUG)
        try:
            command = json.loads(text)
            agent._command_run(command)
        finally:
            wandb_agent.logger.removeHandler(handler)
        trial = recorded[-1]
        sweep_dir = os.path.join(os.environ.get("WANDB_DIR", ""), "wandb", f"sweep-{case['sweep']}")
        with open(os.path.join(sweep_dir, f"config-{command['run_id']}.yaml")) as f:
            trial["yaml"] = f.read()
        json_path = os.path.join(sweep_dir, f"config-{command['run_id']}.json")
        trial["json"] = open(json_path).read() if os.path.exists(json_path) else None
        trial["log"] = handler.lines
        trials.append(trial)
    return {"trials": trials}


def main():
    cases = json.load(sys.stdin)
    out = []
    for case in cases:
        try:
            out.append(run(case))
        except Exception as e:  # noqa: BLE001
            out.append({"error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


main()
