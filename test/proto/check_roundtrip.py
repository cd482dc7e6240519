"""Checks our TypeScript round trip of the corpus with the wandb SDK's own pb2 classes.

Reads JSON lines on stdin: {"type", "name", "orig", "b64", "json"} where `orig` is the corpus
message as the SDK serialised it (base64), `b64` is what our generated TypeScript re-encoded after
decoding `orig`, and `json` is our TypeScript's canonical proto3 JSON of the decoded message.
For each one it checks, with the SDK's class for `type`:
  * the re-encoded bytes parse, with no field the SDK does not know (unknown fields);
  * the parsed message equals the original (`==`), and serialises to the same deterministic
    bytes (which `==` does not see for -0.0 or NaN payloads);
  * our JSON equals the SDK's MessageToDict of the original (same json_names, enum names, int64
    strings, value interpretation).
Prints one JSON object: {"checked": N, "failures": [{"type", "name", "problems": [...]}]}.
"""
import base64
import difflib
import json
import math
import struct
import sys

from google.protobuf import json_format, text_format
from google.protobuf.descriptor import FieldDescriptor as F

from sdk_schema import message_class


def show(value):
    if hasattr(value, "DESCRIPTOR"):
        return "{" + text_format.MessageToString(value, as_one_line=True, as_utf8=True)[:200] + "}"
    return repr(value)[:200]


def same_scalar(a, b):
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


def first_difference(a, b, path):
    """Path and values of the first field where messages a and b differ, or None."""
    for f in a.DESCRIPTOR.fields:
        where = f"{path}.{f.name}"
        va, vb = getattr(a, f.name), getattr(b, f.name)
        if f.type == F.TYPE_MESSAGE and f.message_type.GetOptions().map_entry:
            if set(va.keys()) != set(vb.keys()):
                return f"{where}: keys {sorted(va.keys())[:10]} != {sorted(vb.keys())[:10]}"
            is_msg = f.message_type.fields_by_name["value"].type == F.TYPE_MESSAGE
            for k in va:
                d = first_difference(va[k], vb[k], f"{where}[{k!r}]") if is_msg else (
                    None if same_scalar(va[k], vb[k]) else f"{where}[{k!r}]: {va[k]!r} != {vb[k]!r}")
                if d:
                    return d
        elif f.is_repeated:
            if len(va) != len(vb):
                return f"{where}: {len(va)} elements != {len(vb)} elements"
            for i, (x, y) in enumerate(zip(va, vb)):
                d = first_difference(x, y, f"{where}[{i}]") if f.type == F.TYPE_MESSAGE else (
                    None if same_scalar(x, y) else f"{where}[{i}]: {x!r} != {y!r}")
                if d:
                    return d
        else:
            if f.has_presence and a.HasField(f.name) != b.HasField(f.name):
                side = "original" if a.HasField(f.name) else "round trip"
                return f"{where}: set only in the {side} ({show(va if a.HasField(f.name) else vb)})"
            if f.type == F.TYPE_MESSAGE:
                d = first_difference(va, vb, where)
                if d:
                    return d
            elif not same_scalar(va, vb):
                return f"{where}: {va!r} != {vb!r}"
    return None


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def float32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


def same_json_number(sdk, ours):
    """Whether two JSON numbers denote the same field value.

    JSON numbers are compared as doubles (JS prints 2**60 as 1152921504606847000, Python as
    1.152921504606847e+18). For float fields the SDK prints the shortest float32 form (3e+38) and
    protobuf-ts the double it holds (3.0000000054977558e+38): accepted when ours is exactly a
    float32 and the SDK's number rounds to it.
    """
    a, b = float(sdk), float(ours)
    if a == b:
        return True
    try:
        return float32(b) == b and float32(a) == b
    except OverflowError:
        return False


def first_json_difference(a, b, path="$"):
    """Path and values of the first place where two JSON values differ, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                side = "SDK" if k in a else "ours"
                return f"{path}.{k}: only in {side} ({json.dumps(a.get(k, b.get(k)))[:200]})"
            d = first_json_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} elements != {len(b)} elements"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_json_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    if is_number(a) and is_number(b):
        if not same_json_number(a, b):
            return f"{path}: SDK {json.dumps(a)} != ours {json.dumps(b)}"
        return None
    if type(a) is not type(b):
        return f"{path}: SDK {json.dumps(a)} ({type(a).__name__}) != ours {json.dumps(b)} ({type(b).__name__})"
    if a != b:
        return f"{path}: SDK {json.dumps(a)} != ours {json.dumps(b)}"
    return None


def text_diff(a, b):
    ta = text_format.MessageToString(a, as_utf8=True).splitlines()
    tb = text_format.MessageToString(b, as_utf8=True).splitlines()
    lines = list(difflib.unified_diff(ta, tb, "sdk", "ours (round trip)", n=2, lineterm=""))
    return "\n".join(lines[:30])


def check(entry):
    cls = message_class(entry["type"])
    original = cls.FromString(base64.b64decode(entry["orig"]))
    try:
        ours = cls.FromString(base64.b64decode(entry["b64"]))
    except Exception as e:  # noqa: BLE001 - any parse error is the finding
        return [f"the SDK cannot parse our bytes: {e}"]
    problems = []
    known = cls()
    known.CopyFrom(ours)
    known.DiscardUnknownFields()
    if known.SerializeToString(deterministic=True) != ours.SerializeToString(deterministic=True):
        problems.append("our bytes carry fields unknown to the SDK")
    if original != ours:
        where = first_difference(original, ours, entry["type"].split(".")[-1]) or "(no known field differs)"
        problems.append(f"round trip differs at {where}\n{text_diff(original, ours)}")
    elif original.SerializeToString(deterministic=True) != ours.SerializeToString(deterministic=True):
        where = first_difference(original, ours, entry["type"].split(".")[-1]) or "(no known field differs)"
        problems.append(f"round trip is == but serialises differently, at {where}")
    sdk_json = json_format.MessageToDict(original)
    our_json = json.loads(entry["json"])
    d = first_json_difference(sdk_json, our_json)
    if d:
        problems.append(f"JSON differs at {d}")
    return problems


def main():
    failures, checked = [], 0
    for line in sys.stdin:
        if not line.strip():
            continue
        entry = json.loads(line)
        checked += 1
        problems = check(entry)
        if problems:
            failures.append({"type": entry["type"], "name": entry["name"], "problems": problems})
    json.dump({"checked": checked, "failures": failures}, sys.stdout)


if __name__ == "__main__":
    main()
