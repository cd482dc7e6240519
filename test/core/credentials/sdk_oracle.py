"""The real SDK's (and CPython's) answers for the credentials tests, in batches.

Usage: python sdk_oracle.py COMMAND < cases.json > answers.json
Each command reads a JSON list of cases and prints a JSON list of answers, one per case, in order.
"""

import json
import netrc
import pathlib
import shlex
import sys
import tempfile


def shlex_split(line):
    try:
        return {"tokens": shlex.split(line)}
    except ValueError as e:
        return {"error": str(e)}


def netrc_parse(text):
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d, "netrc")
        path.write_text(text)
        try:
            parsed = netrc.netrc(str(path))
        except netrc.NetrcParseError as e:
            return {"error": e.msg}
        return {"hosts": {k: list(v) for k, v in parsed.hosts.items()}}


def update_netrc(case):
    from wandb.sdk.lib.wbauth import wbnetrc

    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d, "netrc")
        if case["text"] is not None:
            path.write_bytes(case["text"].encode())
        wbnetrc._update_netrc(path, machine=case["machine"], password=case["password"])
        return {"text": path.read_bytes().decode()}


def host_url(url):
    from wandb.sdk.lib.wbauth import wbnetrc  # noqa: F401 (imports urls first)
    from wandb.sdk.lib.wbauth.host_url import HostUrl

    try:
        h = HostUrl(url)
        return {"url": h.url, "app_url": h.app_url}
    except Exception as e:  # noqa: BLE001
        return {"error": type(e).__name__}


def settings_edit(case):
    """Applies [op, key, value] operations to a workspace file with the SDK's SettingsFiles."""
    from wandb.sdk.lib import settings_file

    with tempfile.TemporaryDirectory() as d:
        g = pathlib.Path(d, "global", "settings")
        w = pathlib.Path(d, "work", "wandb", "settings")
        for path, text in ((g, case["global"]), (w, case["workspace"])):
            if text is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text.encode())
        files = settings_file.SettingsFiles(global_settings=g, local_settings=w)
        for op, key, value, globally in case["ops"]:
            if op == "set":
                files.set(key, value, globally=globally)
            else:
                files.clear(key, globally=globally)
        files.save()
        read = lambda p: p.read_bytes().decode() if p.exists() else None  # noqa: E731
        return {"global": read(g), "workspace": read(w), "all": settings_file.SettingsFiles(global_settings=g, local_settings=w).all()}


COMMANDS = {
    "shlex_split": shlex_split,
    "shlex_quote": lambda s: {"quoted": shlex.quote(s)},
    "netrc_parse": netrc_parse,
    "update_netrc": update_netrc,
    "host_url": host_url,
    "settings_edit": settings_edit,
}

if __name__ == "__main__":
    fn = COMMANDS[sys.argv[1]]
    print(json.dumps([fn(case) for case in json.load(sys.stdin)]))
