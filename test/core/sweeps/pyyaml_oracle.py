"""The real PyYAML (wandb's yaml.safe_load / yaml.dump with its NonOctalStringDumper) as a test
oracle. Reads a JSON list of cases on stdin, writes a JSON list of results on stdout:
  {"load": TEXT}  -> {"json": json.dumps(safe_load(TEXT)), "dump": yaml.dump(<json round trip>)}
                     or {"error": "<exception type>: <message>"}
  {"dump": JSON}  -> {"dump": yaml.dump(json.loads(JSON))}
The dumper is the one of wandb/apis/public/sweeps.py::_upsert_sweep, copied."""
import json
import sys

import yaml


class NonOctalStringDumper(yaml.Dumper):
    def represent_scalar(self, tag, value, style=None):
        if tag == "tag:yaml.org,2002:str" and value.startswith("0") and len(value) > 1:
            return super().represent_scalar(tag, value, style="'")
        return super().represent_scalar(tag, value, style)


def run(case):
    try:
        if "load" in case:
            obj = yaml.safe_load(case["load"])
            text = json.dumps(obj)
            return {"json": text, "dump": yaml.dump(json.loads(text), Dumper=NonOctalStringDumper)}
        return {"dump": yaml.dump(json.loads(case["dump"]), Dumper=NonOctalStringDumper)}
    except Exception as e:  # noqa: BLE001 - every failure is a result here
        return {"error": f"{type(e).__name__}: {e}"}


print(json.dumps([run(c) for c in json.load(sys.stdin)]))
