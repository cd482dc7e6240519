"""A tiny pure-Python tfevents writer (TFRecord framing, masked CRC-32C, tensorflow.Event protobuf).

Shared by the TensorBoard scenarios so that they need neither TensorFlow nor the tensorboard
package. It writes what TensorBoard's and PyTorch's writers write: scalars (simple_value and
tensor), legacy HistogramProto and tensor histograms, legacy Summary.Image and tensor images,
pr_curves tensors, text and hparams summaries. `install_stub_tensorboard()` puts a minimal
`tensorboard.summary.writer.event_file_writer` module on sys.path, so that
`wandb.tensorboard.patch()` / `sync_tensorboard=True` patch this writer as they patch the real one.
"""
import os
import socket
import struct
import sys
import time
import zlib

_CRC_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


def masked_crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def tfrecord(data: bytes) -> bytes:
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", masked_crc32c(header)) + data + struct.pack("<I", masked_crc32c(data))


# --- protobuf encoding -------------------------------------------------------------------------


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _tag(field: int, wire: int) -> bytes:
    return _varint(field << 3 | wire)


def _len(field: int, payload: bytes) -> bytes:
    return _tag(field, 2) + _varint(len(payload)) + payload


def _int(field: int, n: int) -> bytes:
    return _tag(field, 0) + _varint(n)


def _double(field: int, x: float) -> bytes:
    return _tag(field, 1) + struct.pack("<d", x)


def _float(field: int, x: float) -> bytes:
    return _tag(field, 5) + struct.pack("<f", x)


def _packed_doubles(field: int, xs) -> bytes:
    return _len(field, b"".join(struct.pack("<d", x) for x in xs))


def _packed_floats(field: int, xs) -> bytes:
    return _len(field, b"".join(struct.pack("<f", x) for x in xs))


DT_FLOAT, DT_DOUBLE, DT_INT32, DT_STRING, DT_INT64 = 1, 2, 3, 7, 9


def tensor(dtype: int, shape, floats=None, doubles=None, ints=None, int64s=None, strings=None, content=None) -> bytes:
    out = _int(1, dtype) + _len(2, b"".join(_len(2, _int(1, d)) for d in shape))
    if content is not None:
        out += _len(4, content)
    if floats is not None:
        out += _packed_floats(5, floats)
    if doubles is not None:
        out += _packed_doubles(6, doubles)
    if ints is not None:
        out += _len(7, b"".join(_varint(i) for i in ints))
    if strings is not None:
        out += b"".join(_len(8, s) for s in strings)
    if int64s is not None:
        out += _len(10, b"".join(_varint(i) for i in int64s))
    return out


def metadata(plugin: str, content: bytes = b"") -> bytes:
    plugin_data = _len(1, plugin.encode()) + (_len(2, content) if content else b"")
    return _len(1, plugin_data)


def value(tag: str, *, simple=None, image=None, histo=None, tensor_bytes=None, meta=None) -> bytes:
    out = _len(1, tag.encode())
    if simple is not None:
        out += _float(2, simple)
    if image is not None:
        out += _len(4, image)
    if histo is not None:
        out += _len(5, histo)
    if tensor_bytes is not None:
        out += _len(8, tensor_bytes)
    if meta is not None:
        out += _len(9, meta)
    return out


def image_proto(width: int, height: int, encoded: bytes) -> bytes:
    return _int(1, height) + _int(2, width) + _int(3, 3) + _len(4, encoded)


def histogram_proto(lo: float, hi: float, limits, counts) -> bytes:
    return (
        _double(1, lo) + _double(2, hi) + _double(3, float(sum(counts))) + _double(4, 0.0) + _double(5, 0.0)
        + _packed_doubles(6, limits) + _packed_doubles(7, counts)
    )


def event(wall_time: float, step: int = 0, values=None, file_version: str = "") -> bytes:
    out = _double(1, wall_time)
    if step:
        out += _int(2, step)
    if file_version:
        out += _len(3, file_version.encode())
    if values is not None:
        out += _len(5, b"".join(_len(1, v) for v in values))
    return out


def png(width: int, height: int, seed: int) -> bytes:
    rows = b"".join(b"\x00" + bytes((x * seed + y * 31 + seed) % 256 for x in range(width * 3)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# --- writers -----------------------------------------------------------------------------------

_counter = [0]

#: When set, the wall time of the file_version event each new writer starts with (else now).
fixed_wall_time: float | None = None


def events_file_name(start: float | None = None, host: str | None = None) -> str:
    _counter[0] += 1
    stamp = int(time.time() if start is None else start)
    return f"events.out.tfevents.{stamp}.{host or socket.gethostname()}.{os.getpid()}.{_counter[0]}"


class RawWriter:
    """Appends records to one tfevents file; `write_partial` leaves a record half written."""

    def __init__(self, logdir: str, name: str | None = None):
        os.makedirs(logdir, exist_ok=True)
        self.path = os.path.join(logdir, name or events_file_name())
        self._f = open(self.path, "ab")
        self._pending = b""
        start = time.time() if fixed_wall_time is None else fixed_wall_time
        self.write(event(start, file_version="brain.Event:2"))

    def write(self, event_bytes: bytes) -> None:
        self._f.write(self._pending + tfrecord(event_bytes))
        self._pending = b""
        self._f.flush()

    def write_partial(self, event_bytes: bytes, cut: int) -> None:
        """Writes the first `cut` bytes of the record now and the rest with the next write/close."""
        record = tfrecord(event_bytes)
        self._f.write(record[:cut])
        self._f.flush()
        self._pending = record[cut:]

    def close(self) -> None:
        self._f.write(self._pending)
        self._pending = b""
        self._f.close()


_STUB_MODULE = '''
"""Stand-in for tensorboard.summary.writer.event_file_writer (what wandb.tensorboard.patch() wraps)."""
import tensorboard_tfevents


class EventFileWriter(tensorboard_tfevents.RawWriter):
    def __init__(self, logdir, *args, **kwargs):
        super().__init__(logdir)

    def get_logdir(self):
        return self.path
'''


def install_stub_tensorboard() -> None:
    """Makes `import tensorboard.summary.writer.event_file_writer` resolve to a RawWriter subclass.

    The stub package is written under the working directory (the scenario's own temporary home).
    """
    root = os.path.abspath("stub-tensorboard")
    pkg = os.path.join(root, "tensorboard")
    os.makedirs(os.path.join(pkg, "summary", "writer"))
    for sub in ("", "summary", os.path.join("summary", "writer")):
        with open(os.path.join(pkg, sub, "__init__.py"), "w") as f:
            f.write("")
    with open(os.path.join(pkg, "summary", "writer", "event_file_writer.py"), "w") as f:
        f.write(_STUB_MODULE)
    sys.path.insert(0, root)
