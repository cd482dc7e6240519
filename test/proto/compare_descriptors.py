"""Compares our compiled schema with the wandb SDK's descriptors, file by file.

Usage: .venv/bin/python test/proto/compare_descriptors.py OURS.pb
  OURS.pb: `protoc -I proto --include_imports --descriptor_set_out=OURS.pb proto/*.proto`.

The SDK side is `wandb.proto.v6.*_pb2.DESCRIPTOR` (the v5/v7 modules hold the same serialized
descriptors, which is checked too). Our file X.proto corresponds to the SDK's wandb/proto/X.proto.
Compared: package, syntax, imports; every message and enum in both directions (nested ones
included); per field number: name, type, label, type_name, oneof membership (which oneof),
proto3_optional, json_name, packed; oneof names; map entries; enum values (number <-> name) and
allow_alias; reserved ranges and names.

json_name: the SDK's descriptors carry it only where the .proto sets it explicitly, while protoc
fills it for every field of ours, so ours is compared with the SDK's explicit one, or else with
the default lowerCamelCase of the field name.

Prints one JSON object: {"sdk_version", "compared": {...counts}, "mismatches": [
{"where", "what", "sdk", "ours"}, ...]}.
"""
import json
import sys

from google.protobuf import descriptor_pb2

from wandb.proto.v6 import wandb_server_pb2 as v6_server  # noqa: F401  (loads every v6 file)

from sdk_schema import FILES, POOL, SDK_VERSION, sdk_file_proto

LABELS = {1: "optional", 2: "required", 3: "repeated"}
TYPES = {v: k for k, v in descriptor_pb2.FieldDescriptorProto.Type.items()}

mismatches = []
counts = {"files": 0, "messages": 0, "enums": 0, "fields": 0, "enum_values": 0}


def report(where, what, sdk, ours):
    mismatches.append({"where": where, "what": what, "sdk": sdk, "ours": ours})


def default_json_name(name):
    """protoc's ToJsonName: drop underscores, upper-casing the letter after each."""
    out, upper = [], False
    for ch in name:
        if ch == "_":
            upper = True
        elif upper:
            out.append(ch.upper())
            upper = False
        else:
            out.append(ch)
    return "".join(out)


def by_name(items):
    return {i.name: i for i in items}


def reserved(d, inclusive_end):
    ranges = sorted((r.start, r.end if inclusive_end else r.end - 1) for r in d.reserved_range)
    return {"ranges": [f"{a}" if a == b else f"{a}..{b}" for a, b in ranges], "names": sorted(d.reserved_name)}


def compare_named(where, kind, sdk_items, our_items, compare):
    sdk_map, our_map = by_name(sdk_items), by_name(our_items)
    for name, s in sdk_map.items():
        if name not in our_map:
            report(f"{where}.{name}", f"{kind} missing in ours", "present", None)
        else:
            compare(f"{where}.{name}", s, our_map[name])
    for name in our_map:
        if name not in sdk_map:
            report(f"{where}.{name}", f"{kind} not in the SDK", None, "present")


def compare_enum(where, s, o):
    counts["enums"] += 1
    if s.options.allow_alias != o.options.allow_alias:
        report(where, "allow_alias", s.options.allow_alias, o.options.allow_alias)
    sdk_values = sorted((v.number, v.name) for v in s.value)
    our_values = sorted((v.number, v.name) for v in o.value)
    counts["enum_values"] += len(sdk_values)
    for number, name in sorted(set(sdk_values) - set(our_values)):
        same_name = [n for n, m in our_values if m == name]
        detail = f"ours has {name} = {same_name[0]}" if same_name else "missing in ours"
        report(f"{where}.{name}", f"enum value {name} = {number}: {detail}", number, same_name[0] if same_name else None)
    for number, name in sorted(set(our_values) - set(sdk_values)):
        if not any(m == name for _, m in sdk_values):
            report(f"{where}.{name}", f"enum value {name} = {number} not in the SDK", None, number)
    if reserved(s, True) != reserved(o, True):
        report(where, "reserved", reserved(s, True), reserved(o, True))


def field_facts(f, oneofs):
    """The wire-relevant facts of a field (json_name handled separately)."""
    return {
        "name": f.name,
        "type": TYPES[f.type],
        "label": LABELS[f.label],
        "type_name": f.type_name or None,
        "oneof": oneofs[f.oneof_index] if f.HasField("oneof_index") else None,
        "proto3_optional": f.proto3_optional,
        "packed": f.options.packed if f.options.HasField("packed") else None,
    }


def compare_message(where, s, o):
    counts["messages"] += 1
    if s.options.map_entry != o.options.map_entry:
        report(where, "map_entry", s.options.map_entry, o.options.map_entry)
    s_oneofs = [d.name for d in s.oneof_decl]
    o_oneofs = [d.name for d in o.oneof_decl]
    if sorted(s_oneofs) != sorted(o_oneofs):
        report(where, "oneofs", sorted(s_oneofs), sorted(o_oneofs))
    s_fields = {f.number: f for f in s.field}
    o_fields = {f.number: f for f in o.field}
    o_by_name = by_name(o.field)
    renumbered = set()
    for number, f in sorted(s_fields.items()):
        counts["fields"] += 1
        here = f"{where}.{f.name}"
        g = o_fields.get(number)
        if g is None:
            moved = o_by_name.get(f.name)
            if moved is not None and moved.number not in s_fields:
                renumbered.add(moved.number)
                report(here, "field number", number, moved.number)
            else:
                report(here, f"field {number} missing in ours", number, None)
            continue
        sf, gf = field_facts(f, s_oneofs), field_facts(g, o_oneofs)
        for key in sf:
            if sf[key] != gf[key]:
                report(here, f"field {number} {key}", sf[key], gf[key])
        want_json = f.json_name if f.HasField("json_name") else default_json_name(f.name)
        our_json = g.json_name if g.HasField("json_name") else default_json_name(g.name)
        if want_json != our_json:
            report(here, f"field {number} json_name", want_json, our_json)
    for number, g in sorted(o_fields.items()):
        if number not in s_fields and number not in renumbered:
            report(f"{where}.{g.name}", f"field {number} not in the SDK", None, number)
    if reserved(s, False) != reserved(o, False):
        report(where, "reserved", reserved(s, False), reserved(o, False))
    compare_named(where, "enum", s.enum_type, o.enum_type, compare_enum)
    compare_named(where, "message", s.nested_type, o.nested_type, compare_message)


def compare_file(stem, s, o):
    counts["files"] += 1
    where = f"{stem}.proto"
    for key in ("package", "syntax"):
        if getattr(s, key) != getattr(o, key):
            report(where, key, getattr(s, key), getattr(o, key))
    sdk_deps = sorted(d.replace("wandb/proto/", "") for d in s.dependency)
    if sdk_deps != sorted(o.dependency):
        report(where, "imports", sdk_deps, sorted(o.dependency))
    scope = s.package
    compare_named(scope, "enum", s.enum_type, o.enum_type, compare_enum)
    compare_named(scope, "message", s.message_type, o.message_type, compare_message)


def same_variants():
    """The v5/v6/v7 modules (whichever import) carry the v6 descriptors byte for byte."""
    import importlib
    for variant in ("v5", "v7"):
        for stem in FILES:
            try:
                mod = importlib.import_module(f"wandb.proto.{variant}.{stem}_pb2")
            except Exception:  # noqa: BLE001 - a variant for another protobuf major may not import
                continue
            fd = descriptor_pb2.FileDescriptorProto()
            mod.DESCRIPTOR.CopyToProto(fd)
            if fd != sdk_file_proto(stem):
                report(f"{stem}.proto", f"SDK {variant} descriptors differ from v6", "v6", variant)


def main(path):
    ours = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as fh:
        ours.ParseFromString(fh.read())
    our_files = {f.name: f for f in ours.file}
    assert POOL.FindFileByName("wandb/proto/wandb_server.proto") is v6_server.DESCRIPTOR
    for stem in FILES:
        o = our_files.get(f"{stem}.proto")
        if o is None:
            report(f"{stem}.proto", "file missing in ours", "present", None)
        else:
            compare_file(stem, sdk_file_proto(stem), o)
    for name in our_files:
        if name.removesuffix(".proto") not in FILES and not name.startswith("google/protobuf/"):
            report(name, "file not in the SDK", None, "present")
    same_variants()
    json.dump({"sdk_version": SDK_VERSION, "compared": counts, "mismatches": mismatches}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
