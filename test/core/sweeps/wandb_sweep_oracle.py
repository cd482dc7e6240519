"""The real wandb 0.31 sweep helpers as a test oracle. Reads a JSON list of cases on stdin and
writes a JSON list of results:
  {"prepare": TEXT}              -> the config text `wandb sweep` would upload (safe_load,
                                    _validate_config_and_fill_distribution, json round trip,
                                    yaml.dump with wandb's dumper) or {"error": ...}
  {"parse": ID}                  -> parse_sweep_id's dict, or {"error": message}
  {"project": PROGRAM|null, "cwd": DIR} -> util.auto_project_name(PROGRAM) run in DIR
  {"url": [BASE, ENTITY, PROJECT, ID]} -> wandb_sweep._get_sweep_url
  {"repr": S}                    -> repr(S)
"""
import json
import os
import sys

import yaml

from wandb import util
from wandb.apis.public.sweeps import _validate_config_and_fill_distribution
from wandb.sdk import wandb_sweep
from wandb.sdk.launch.sweeps import utils as sweep_utils


class NonOctalStringDumper(yaml.Dumper):
    def represent_scalar(self, tag, value, style=None):
        if tag == "tag:yaml.org,2002:str" and value.startswith("0") and len(value) > 1:
            return super().represent_scalar(tag, value, style="'")
        return super().represent_scalar(tag, value, style)


def run(case):
    try:
        if "prepare" in case:
            config = _validate_config_and_fill_distribution(yaml.safe_load(case["prepare"]))
            return {"yaml": yaml.dump(json.loads(json.dumps(config)), Dumper=NonOctalStringDumper)}
        if "parse" in case:
            parts = dict(entity=None, project=None, name=case["parse"])
            err = sweep_utils.parse_sweep_id(parts)
            return {"error": err} if err else {"parts": parts}
        if "project" in case:
            here = os.getcwd()
            os.chdir(case["cwd"])
            try:
                return {"project": util.auto_project_name(case["project"])}
            finally:
                os.chdir(here)
        if "url" in case:
            base, entity, project, sweep_id = case["url"]
            return {"url": wandb_sweep._get_sweep_url(base_url=base, entity=entity, project=project, sweep_id=sweep_id)}
        if "repr" in case:
            return {"repr": repr(case["repr"])}
        return {"error": "unknown case"}
    except Exception as e:  # noqa: BLE001 - every failure is a result here
        return {"error": f"{type(e).__name__}: {e}"}


print(json.dumps([run(c) for c in json.load(sys.stdin)]))
