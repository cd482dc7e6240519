"""An independent, strict reader of .wandb transaction logs, for cross-checking our TypeScript one.

Written from the format description (LevelDB log format behind the ':W&B' header, 32 KiB blocks
counted from file offset 0, 7-byte chunk headers, CRC-32/IEEE of type byte + payload). It accepts
only well-formed files and raises on anything else, like the SDK's old datastore reader did.

Usage: python wandb_log.py FILE.wandb  → one JSON line per record: {"offset": N, "b64": "..."}
"""
import base64
import json
import struct
import sys
import zlib

HEADER = b":W&B\xe1\xbe\x00"
BLOCK = 32768
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4


def records(data: bytes):
    if data[:7] != HEADER:
        raise ValueError("bad header")
    pos = 7
    parts, start = None, None
    while pos < len(data):
        left = BLOCK - pos % BLOCK
        if left < 7:
            if data[pos:pos + left].strip(b"\0"):
                raise ValueError(f"non-zero padding at {pos}")
            pos += left
            continue
        crc, length, ctype = struct.unpack_from("<IHB", data, pos)
        payload = data[pos + 7:pos + 7 + length]
        if len(payload) != length or length > left - 7:
            raise ValueError(f"bad chunk length at {pos}")
        if zlib.crc32(payload, zlib.crc32(bytes([ctype]))) != crc:
            raise ValueError(f"checksum mismatch at {pos}")
        if ctype == FULL:
            if parts is not None:
                raise ValueError(f"FULL inside a record at {pos}")
            yield pos, payload
        elif ctype == FIRST:
            if parts is not None:
                raise ValueError(f"FIRST inside a record at {pos}")
            parts, start = [payload], pos
        elif ctype in (MIDDLE, LAST):
            if parts is None:
                raise ValueError(f"stray chunk at {pos}")
            parts.append(payload)
            if ctype == LAST:
                yield start, b"".join(parts)
                parts, start = None, None
        else:
            raise ValueError(f"bad chunk type {ctype} at {pos}")
        pos += 7 + length
    if parts is not None:
        raise ValueError("file ends inside a record")


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    for offset, payload in records(data):
        print(json.dumps({"offset": offset, "b64": base64.b64encode(payload).decode()}))


if __name__ == "__main__":
    main()
