"""Builds the wire-compatibility corpus with the wandb SDK's own pb2 classes.

Usage:
  .venv/bin/python test/proto/corpus.py [OUT_FILE]    JSON lines {"type", "name", "b64"}
  .venv/bin/python test/proto/corpus.py --oneof-cases  JSON {"<Message>.<oneof>": [case, ...]}

The corpus has three parts, all deterministic:
  * generated: for every message type of the SDK schema, one message per case of its widest
    oneof (at least one), with every field set to a non-default value, recursing into
    sub-messages down to a depth limit and rotating the cases of nested oneofs; plus, for types
    with proto3 `optional` fields, a message with those fields present but at their defaults;
  * envelopes: every Record case inside ServerRequest.record_publish, every Request case inside
    Record.request inside ServerRequest.record_communicate, every Response case inside
    Result.response inside ServerResponse.result_communicate;
  * hand-written: realistic messages (history with nested keys and NaN JSON, a run start,
    partial_history, settings for inform_init, API passthrough, long repeated fields, ...).
Cases are enumerated from the descriptors, so a case added by a future SDK is covered as is.
"""
import base64
import json
import sys

from google.protobuf import timestamp_pb2
from google.protobuf.descriptor import FieldDescriptor as F

from sdk_schema import all_messages, is_proto3_optional, message_class, real_oneofs

#: How deep the generic filler recurses into sub-messages (deeper ones are present but empty).
MAX_DEPTH = 5

# A wide mix of code points: Latin-1, BMP symbols, CJK, an astral emoji, a combining mark.
UNICODE = "ü✓漢字😀e\u0301"

I32_MIN, I32_MAX = -(2**31), 2**31 - 1
I64_MIN, I64_MAX = -(2**63), 2**63 - 1
U32_MAX, U64_MAX = 2**32 - 1, 2**64 - 1


class Filler:
    """Sets every field of a message to a non-default value (see the module doc)."""

    def __init__(self):
        self.n = 0

    def tick(self):
        self.n += 1
        return self.n

    def scalar(self, f, i=0):
        """A non-default value for a scalar or enum field; `i` varies map keys."""
        n = self.tick() + i
        t = f.type
        if t == F.TYPE_ENUM:
            values = [v.number for v in f.enum_type.values]
            nonzero = [v for v in values if v != 0]
            return nonzero[n % len(nonzero)] if nonzero else values[0]
        if t == F.TYPE_BOOL:
            return i % 2 == 0
        if t == F.TYPE_STRING:
            return f"{f.name}-{UNICODE}-{n}"
        if t == F.TYPE_BYTES:
            return bytes([0, 255, n % 256, 0x80, 0x7F])
        if t in (F.TYPE_INT32, F.TYPE_SINT32, F.TYPE_SFIXED32):
            return [I32_MIN + n, -n, I32_MAX - n][n % 3]
        if t in (F.TYPE_INT64, F.TYPE_SINT64, F.TYPE_SFIXED64):
            # Beyond 2^53 (not representable as a JS number) and negative ones.
            return [2**53 + 1 + n, -(2**53) - 3 - n, I64_MIN + n, I64_MAX - n, -n][n % 5]
        if t in (F.TYPE_UINT32, F.TYPE_FIXED32):
            return [U32_MAX - n, 2**31 + n, n][n % 3]
        if t in (F.TYPE_UINT64, F.TYPE_FIXED64):
            return [U64_MAX - n, 2**63 + n, 2**53 + 1 + n][n % 3]
        if t == F.TYPE_DOUBLE:
            if f.containing_type.full_name == "google.protobuf.DoubleValue":
                # protobuf-ts 2.11.1 writes DoubleValue JSON with the float32 range check
                # (see protobuf-ts-limits.test.ts); keep wrapped doubles within float32 range.
                return [0.1 * n, -1.5e30, 2.5e-310, -123456.789, float(2**60)][n % 5]
            return [0.1 * n, -1.5e300, 2.5e-310, -123456.789, float(2**60)][n % 5]
        if t == F.TYPE_FLOAT:
            return [0.5 + n, -1.25, 3.0e38, -1.0e-40][n % 4]  # exactly representable in float32
        raise ValueError(f"unhandled field type {t} of {f.full_name}")

    def fill(self, msg, depth, variant):
        """Fills msg; `variant` picks the case of each oneof (rotated for nested messages)."""
        desc = msg.DESCRIPTOR
        if desc.full_name == "google.protobuf.Timestamp":
            msg.seconds = 1_700_000_000 + self.tick()
            msg.nanos = 123_456_789
            return
        chosen = {o.name: o.fields[variant % len(o.fields)] for o in real_oneofs(desc)}
        for f in desc.fields:
            o = f.containing_oneof
            if o is not None and o.name in chosen and chosen[o.name] is not f:
                continue
            self.set_field(msg, f, depth, variant + f.number)

    def sub(self, msg, depth, variant):
        if depth < MAX_DEPTH:
            self.fill(msg, depth, variant)

    def set_field(self, msg, f, depth, variant):
        if f.type == F.TYPE_MESSAGE and f.message_type.GetOptions().map_entry:
            container = getattr(msg, f.name)
            key_f = f.message_type.fields_by_name["key"]
            value_f = f.message_type.fields_by_name["value"]
            for i in range(2):
                key = self.scalar(key_f, i)
                if value_f.type == F.TYPE_MESSAGE:
                    self.sub(container[key], depth + 1, variant + i)
                else:
                    container[key] = self.scalar(value_f)
        elif f.is_repeated:
            container = getattr(msg, f.name)
            if f.type == F.TYPE_MESSAGE:
                for i in range(2 if depth < MAX_DEPTH - 1 else 1):
                    self.sub(container.add(), depth + 1, variant + i)
            else:
                container.extend(self.scalar(f) for _ in range(3))
        elif f.type == F.TYPE_MESSAGE:
            child = getattr(msg, f.name)
            child.SetInParent()  # present even when left empty at the depth limit
            self.sub(child, depth + 1, variant)
        else:
            setattr(msg, f.name, self.scalar(f))


def filled(full_name, variant=0):
    msg = message_class(full_name)()
    Filler().fill(msg, 0, variant)
    return msg


def generated():
    """One filled message per oneof case of every message type, plus optional-at-default ones."""
    for desc in all_messages():
        oneofs = real_oneofs(desc)
        variants = max([len(o.fields) for o in oneofs], default=1)
        for v in range(variants):
            cases = ",".join(o.fields[v % len(o.fields)].name for o in oneofs)
            yield desc.full_name, f"filled {desc.full_name}" + (f" [{cases}]" if cases else ""), filled(desc.full_name, v)
        optionals = [f for f in desc.fields if is_proto3_optional(f)]
        if optionals:
            msg = message_class(desc.full_name)()
            for f in optionals:
                default = {F.TYPE_STRING: "", F.TYPE_BOOL: False, F.TYPE_BYTES: b""}.get(f.type, 0)
                setattr(msg, f.name, default)
            yield desc.full_name, f"{desc.full_name} with optional fields present at their defaults", msg


def envelopes():
    """Every Record, Request and Response case inside the envelopes that carry it on the socket."""
    ServerRequest = message_class("wandb_internal.ServerRequest")
    ServerResponse = message_class("wandb_internal.ServerResponse")
    Record = message_class("wandb_internal.Record")
    Result = message_class("wandb_internal.Result")
    for name, field in (("Record", "record_type"), ("Request", "request_type"), ("Response", "response_type")):
        desc = message_class(f"wandb_internal.{name}").DESCRIPTOR
        for v, case in enumerate(desc.oneofs_by_name[field].fields):
            inner = filled(desc.full_name, v)
            if name == "Record":
                msg = ServerRequest(request_id=f"pub-{v}", record_publish=inner)
                yield "wandb_internal.ServerRequest", f"record_publish of Record.{case.name}", msg
            elif name == "Request":
                rec = Record(num=v, request=inner, control=dict(req_resp=True, mailbox_slot=f"slot-{v}"))
                msg = ServerRequest(request_id=f"com-{v}", record_communicate=rec)
                yield "wandb_internal.ServerRequest", f"record_communicate of Request.{case.name}", msg
            else:
                res = Result(response=inner, control=dict(mailbox_slot=f"slot-{v}"), uuid=f"uuid-{v}")
                msg = ServerResponse(request_id=f"com-{v}", result_communicate=res)
                yield "wandb_internal.ServerResponse", f"result_communicate of Response.{case.name}", msg


def hand_written():
    """Realistic messages shaped like what the SDK sends and the service answers."""
    C = message_class
    Record, Request, ServerRequest = C("wandb_internal.Record"), C("wandb_internal.Request"), C("wandb_internal.ServerRequest")
    HistoryItem, Settings = C("wandb_internal.HistoryItem"), C("wandb_internal.Settings")
    ts = timestamp_pb2.Timestamp(seconds=1_735_689_600, nanos=5_000)

    items = [
        HistoryItem(key="loss", value_json="0.25"),
        HistoryItem(key="acc", nested_key=["eval", "acc", UNICODE], value_json="NaN"),
        HistoryItem(key="grad", value_json="Infinity"),
        HistoryItem(key="neg", value_json="-Infinity"),
        HistoryItem(key="_step", value_json=str(2**53 + 1)),
        HistoryItem(key="img", value_json=json.dumps({"_type": "image-file", "path": f"media/{UNICODE}.png"})),
        HistoryItem(key="none", none=0),
        HistoryItem(key="flag", boolean=False),
        HistoryItem(key="i", integer=-(2**62)),
        HistoryItem(key="x", number=float("inf")),
        # -0.0 only where presence is explicit (a oneof member): protobuf-ts drops -0.0 from
        # implicit-presence fields when encoding (see protobuf-ts-limits.test.ts).
        HistoryItem(key="y", number=-0.0),
        HistoryItem(key="t", text=""),
        HistoryItem(key="j", json='{"a": [1, 2, NaN]}'),
    ]
    yield "wandb_internal.Record", "history with nested keys, NaN JSON and every value case", Record(
        num=2**53 + 7, uuid="", history=dict(item=items, step=dict(num=2**53 + 1)),
        _info=dict(stream_id="run-abc123"),
    )

    telemetry = dict(
        python_version="3.11.9", cli_version="0.31.0", core_version="0.31.0", platform="linux-x86_64",
        imports_init=dict(torch=True, keras=False), feature=dict(watch=True, finish=True),
        env=dict(jupyter=True), label=dict(code_string=UNICODE),
    )
    config = dict(update=[
        dict(key="_wandb", value_json=json.dumps({"t": {"1": [1, 55], "2": [1, 55], "3": [13, 16]}, "cli_version": "0.31.0"})),
        dict(key="lr", value_json="0.001"),
        dict(key="layers", nested_key=["model", "layers"], value_json="[64, 64]"),
    ], remove=[dict(key="old")])
    run = dict(
        run_id="abc123", entity="me", project=f"proj-{UNICODE}", config=config, telemetry=telemetry,
        start_time=ts, tags=["baseline", UNICODE, ""], starting_step=-5, runtime=-1, resumed=True,
        display_name="glad-sun-1", notes="", git=dict(remote_url="https://github.com/x/y", commit="deadbeef"),
        branch_point=dict(run="parent", value=-2.5, metric="_step"), host="h", sweep_id="s",
    )
    yield "wandb_internal.Record", "run start with config, telemetry, timestamp and git", Record(num=1, run=run)

    partial = dict(item=items[:6], step=dict(num=7), action=dict(flush=True))
    yield "wandb_internal.Record", "partial_history request", Record(
        request=Request(partial_history=partial), control=dict(req_resp=True, mailbox_slot="m1", local=True),
    )

    settings = Settings(
        api_key=dict(value="x" * 40), base_url=dict(value="https://api.wandb.ai"), run_id=dict(value="abc123"),
        project=dict(value=UNICODE), entity=dict(value=""), _offline=dict(value=False),
        x_file_stream_max_bytes=dict(value=I32_MIN), x_graphql_retry_max=dict(value=I32_MAX),
        x_stats_sampling_interval=dict(value=15.5), finish_timeout=dict(value=0.0), x_start_time=dict(value=1.7e9 + 0.123),
        x_service_wait=dict(value=float("inf")), login_timeout=dict(value=float("nan")),
        ignore_globs=dict(value=["*.tmp", UNICODE, ""]), run_tags=dict(value=[f"t{i}" for i in range(50)]),
        x_extra_http_headers=dict(value={"X-A": "1", UNICODE: "", "": "empty-key"}),
        x_proxies=dict(value={"https": "http://proxy:3128"}),
        x_stats_open_metrics_filters=dict(mapping=dict(value={"node_.*": dict(value={"job": "a.*", "": ""})})),
        fork_from=dict(run="parent", value=2.0**60, metric="_step"),
    )
    yield "wandb_internal.ServerRequest", "inform_init with many settings", ServerRequest(
        request_id="init-1", inform_init=dict(settings=settings, _info=dict(stream_id="abc123")),
    )
    yield "wandb_internal.ServerRequest", "api_init_request with settings", ServerRequest(
        api_init_request=dict(settings=settings, service_name="nexus"),
    )
    yield "wandb_internal.ServerRequest", "api_request graphql", ServerRequest(
        request_id="api-1", api_request=dict(api_id="api-1", graphql_request=dict(
            query="query Viewer { viewer { id username } }", variables_json="{}",
            omit_variables=["a"], rename_fields={"old": "new", UNICODE: UNICODE},
        )),
    )
    yield "wandb_internal.ServerResponse", "api_response graphql data", C("wandb_internal.ServerResponse")(
        request_id="api-1", api_response=dict(graphql_response=dict(data_json=json.dumps({"viewer": {"id": UNICODE}}))),
    )
    yield "wandb_internal.ApiResponse", "api error with optional error_type at its default", C("wandb_internal.ApiResponse")(
        api_error_response=dict(message="nope", error_type=0, http_status=-1),
    )

    sampled = C("wandb_internal.SampledHistoryItem")(
        key="loss", values_float=[i * 0.5 - 100 for i in range(1000)],
        values_int=[(i - 500) * (2**40) for i in range(1000)],
    )
    yield "wandb_internal.SampledHistoryItem", "1000 packed floats and 1000 packed int64s", sampled
    yield "wandb_internal.Record", "stats with 300 items", Record(stats=dict(
        stats_type=0, timestamp=ts, item=[dict(key=f"gpu.{i}.temp", value_json=str(i)) for i in range(300)],
    ))
    yield "wandb_internal.Record", "empty Record", Record()
    yield "wandb_internal.Record", "Record whose oneof holds an empty message", Record(noop_link_artifact={})
    yield "wandb_internal.Record", "raw output line with control characters", Record(
        output_raw=dict(output_type=1, timestamp=ts, line=f"\r\x1b[2K{UNICODE}\n\x00tail"),
    )


def corpus():
    for part in (generated(), envelopes(), hand_written()):
        for type_name, name, msg in part:
            if msg.DESCRIPTOR.full_name != type_name:
                raise AssertionError(f"{name}: built {msg.DESCRIPTOR.full_name}, labelled {type_name}")
            yield {"type": type_name, "name": name, "b64": base64.b64encode(msg.SerializeToString(deterministic=True)).decode()}


def oneof_cases():
    """Every real oneof of the SDK schema with its cases, keyed "<message full name>.<oneof>"."""
    return {f"{d.full_name}.{o.name}": [f.name for f in o.fields] for d in all_messages() for o in real_oneofs(d)}


def main(argv):
    if argv[1:] == ["--oneof-cases"]:
        json.dump(oneof_cases(), sys.stdout)
        return
    out = open(argv[1], "w") if len(argv) > 1 else sys.stdout
    names = set()
    for entry in corpus():
        if entry["name"] in names:
            raise AssertionError(f"duplicate corpus name {entry['name']!r}")
        names.add(entry["name"])
        out.write(json.dumps(entry) + "\n")
    out.flush()


if __name__ == "__main__":
    main(sys.argv)
