"""The wandb SDK's own compiled schema, as the corpus builder and the checkers see it.

Imports go through `wandb.proto.*_pb2`, the modules that pick v5/v6/v7 for the installed
protobuf runtime, i.e. exactly the classes the SDK itself uses at run time. All three
variants carry the same serialized descriptors (the same wire schema).
"""
from google.protobuf import descriptor_pb2, message_factory

import wandb
from wandb.proto import wandb_server_pb2  # loads every wandb_internal file into the pool

#: Our proto/ files, by stem; the SDK ships each as wandb/proto/<stem>.proto.
FILES = [
    "wandb_base", "wandb_telemetry", "wandb_settings", "wandb_internal",
    "wandb_otel", "wandb_api", "wandb_sync", "wandb_sweep_scheduler", "wandb_server",
]

POOL = wandb_server_pb2.DESCRIPTOR.pool
SDK_VERSION = wandb.__version__


def sdk_file(stem):
    """The SDK's FileDescriptor for one of FILES."""
    return POOL.FindFileByName(f"wandb/proto/{stem}.proto")


def sdk_file_proto(stem):
    """The SDK's FileDescriptorProto for one of FILES (json_name set only where explicit)."""
    fd = descriptor_pb2.FileDescriptorProto()
    sdk_file(stem).CopyToProto(fd)
    return fd


def message_class(full_name):
    """The SDK's generated class for a message, by full name (e.g. wandb_internal.Record)."""
    return message_factory.GetMessageClass(POOL.FindMessageTypeByName(full_name))


def all_messages():
    """Every message descriptor of FILES (nested ones included, map entries excluded), in file order."""
    out = []

    def walk(descs):
        for d in descs:
            if d.GetOptions().map_entry:
                continue
            out.append(d)
            walk(d.nested_types)

    for stem in FILES:
        walk(sdk_file(stem).message_types_by_name.values())
    return out


def proto3_optional_fields():
    """Full names of the fields declared `optional` in proto3 (their oneofs are synthetic)."""
    names = set()

    def walk(prefix, msgs):
        for m in msgs:
            for f in m.field:
                if f.proto3_optional:
                    names.add(f"{prefix}.{m.name}.{f.name}")
            walk(f"{prefix}.{m.name}", m.nested_type)

    for stem in FILES:
        fd = sdk_file_proto(stem)
        walk(fd.package, fd.message_type)
    return names


_OPTIONAL = proto3_optional_fields()


def real_oneofs(desc):
    """The oneofs of a message that are declared as `oneof` (not proto3 `optional`)."""
    return [o for o in desc.oneofs
            if not (len(o.fields) == 1 and o.fields[0].full_name in _OPTIONAL)]


def is_proto3_optional(field):
    """Whether a field is declared proto3 `optional`."""
    return field.full_name in _OPTIONAL
