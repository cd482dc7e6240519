#!/usr/bin/env python3
"""Write proto/*.proto from the wire facts of an installed wandb SDK.

The SDK ships its schema only as compiled descriptors (wandb.proto.v6.*_pb2).
This script turns those facts (package, message and enum names, field numbers,
types, labels, oneofs, maps, json_names, reserved ranges) into .proto text so
that our schema follows the SDK we target. It carries no upstream comments:
descriptors hold none. Run it when moving to a new wandb version, review the
diff, and keep our own header comments up to date. The compatibility test
(test/proto/descriptor-compat.test.ts) fails whenever proto/ and the SDK drift.

Usage: .venv/bin/python scripts/proto-from-sdk.py [OUT_DIR]
"""
import sys
from pathlib import Path

from google.protobuf import descriptor_pb2
from wandb.proto.v6 import wandb_server_pb2  # noqa: F401  (loads every file we need)

FILES = [
    "wandb_base", "wandb_telemetry", "wandb_settings", "wandb_internal",
    "wandb_otel", "wandb_api", "wandb_sync", "wandb_sweep_scheduler", "wandb_server",
]

HEADERS = {
    "wandb_base": "Shared envelope pieces: record/request/result routing info.",
    "wandb_telemetry": "TelemetryRecord: what SDK features a run used (merged into config _wandb.t).",
    "wandb_settings": "Settings: the SDK's full settings model, sent with inform_init and api_init.",
    "wandb_internal": "Record, Result, Request, Response and every run record type of the stream pipeline.",
    "wandb_otel": "OpenTelemetry passthrough messages used by ApiRequest.",
    "wandb_api": "ApiRequest/ApiResponse: the public-API and login passthrough (api_init/api_request).",
    "wandb_sync": "init_sync/sync/sync_status: replaying .wandb files through the service.",
    "wandb_sweep_scheduler": "Sweep scheduler messages carried by ServerRequest.",
    "wandb_server": "ServerRequest/ServerResponse: the socket envelope between SDK and service.",
}

SCALAR = {
    1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64",
    7: "fixed32", 8: "bool", 9: "string", 12: "bytes", 13: "uint32", 15: "sfixed32",
    16: "sfixed64", 17: "sint32", 18: "sint64",
}


def default_json_name(name: str) -> str:
    out, up = [], False
    for ch in name:
        if ch == "_":
            up = True
        elif up:
            out.append(ch.upper())
            up = False
        else:
            out.append(ch)
    return "".join(out)


def type_name(f, package):
    if f.type in (11, 14):  # message, enum
        n = f.type_name
        pre = "." + package + "."
        if n.startswith(pre):
            return n[len(pre):]
        return n.lstrip(".")
    return SCALAR[f.type]


def field_line(f, package, map_entries, in_oneof):
    opts = []
    if f.HasField("json_name") and f.json_name != default_json_name(f.name):
        opts.append(f'json_name = "{f.json_name}"')
    if f.options.deprecated:
        opts.append("deprecated = true")
    suffix = f" [{', '.join(opts)}]" if opts else ""
    if f.type == 11 and f.type_name in map_entries:
        k, v = map_entries[f.type_name]
        return f"map<{type_name(k, package)}, {type_name(v, package)}> {f.name} = {f.number}{suffix};"
    label = ""
    if f.label == 3:
        label = "repeated "
    elif f.proto3_optional:
        label = "optional "
    return f"{label}{type_name(f, package)} {f.name} = {f.number}{suffix};"


def reserved_lines(d, pad):
    lines = []
    if d.reserved_range:
        parts = []
        for r in d.reserved_range:
            end = r.end - 1  # descriptor ranges are end-exclusive for messages
            parts.append(str(r.start) if r.start == end else f"{r.start} to {end if end < 536870911 else 'max'}")
        lines.append(f"{pad}reserved {', '.join(parts)};")
    if d.reserved_name:
        lines.append(f"{pad}reserved {', '.join(repr(n).replace(chr(39), chr(34)) for n in d.reserved_name)};")
    return lines


def enum_text(e, depth):
    pad = "  " * depth
    out = [f"{pad}enum {e.name} {{"]
    if e.options.allow_alias:
        out.append(f"{pad}  option allow_alias = true;")
    for v in e.value:
        out.append(f"{pad}  {v.name} = {v.number};")
    for r in e.reserved_range:  # enum ranges are end-inclusive
        out.append(f"{pad}  reserved {r.start}{'' if r.start == r.end else f' to {r.end}'};")
    if e.reserved_name:
        out.append(f"{pad}  reserved {', '.join(chr(34) + n + chr(34) for n in e.reserved_name)};")
    out.append(f"{pad}}}")
    return out


def message_text(m, package, prefix, depth):
    pad = "  " * depth
    full = f".{package}.{prefix}{m.name}"
    map_entries = {}
    for n in m.nested_type:
        if n.options.map_entry:
            map_entries[f"{full}.{n.name}"] = (n.field[0], n.field[1])
    out = [f"{pad}message {m.name} {{"]
    out += reserved_lines(m, pad + "  ")
    for e in m.enum_type:
        out += enum_text(e, depth + 1)
    for n in m.nested_type:
        if not n.options.map_entry:
            out += message_text(n, package, f"{prefix}{m.name}.", depth + 1)
    real_oneofs = set()
    for f in m.field:
        if f.HasField("oneof_index") and not f.proto3_optional:
            real_oneofs.add(f.oneof_index)
    emitted = set()
    for f in m.field:
        if f.HasField("oneof_index") and f.oneof_index in real_oneofs:
            idx = f.oneof_index
            if idx in emitted:
                continue
            emitted.add(idx)
            out.append(f"{pad}  oneof {m.oneof_decl[idx].name} {{")
            for g in m.field:
                if g.HasField("oneof_index") and g.oneof_index == idx:
                    out.append(f"{pad}    {field_line(g, package, map_entries, True)}")
            out.append(f"{pad}  }}")
        else:
            out.append(f"{pad}  {field_line(f, package, map_entries, False)}")
    out.append(f"{pad}}}")
    return out


def file_text(name, pool):
    fd = descriptor_pb2.FileDescriptorProto()
    pool.FindFileByName(f"wandb/proto/{name}.proto").CopyToProto(fd)
    lines = [
        f"// Nexus wire schema: {HEADERS[name]}",
        "// Wire-compatible with the wandb SDK's own schema (same package, names, numbers, types);",
        "// regenerate with scripts/proto-from-sdk.py when the targeted SDK version changes.",
        "",
        'syntax = "proto3";',
        "",
        f"package {fd.package};",
        "",
    ]
    for dep in fd.dependency:
        lines.append(f'import "{dep.replace("wandb/proto/", "")}";')
    if fd.dependency:
        lines.append("")
    for e in fd.enum_type:
        lines += enum_text(e, 0)
        lines.append("")
    for m in fd.message_type:
        lines += message_text(m, fd.package, "", 0)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "proto")
    out.mkdir(parents=True, exist_ok=True)
    pool = wandb_server_pb2.DESCRIPTOR.pool
    for name in FILES:
        (out / f"{name}.proto").write_text(file_text(name, pool))
        print(f"wrote {out / (name + '.proto')}")


if __name__ == "__main__":
    main()
