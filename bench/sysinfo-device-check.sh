#!/usr/bin/env bash
# Device check of src/sysinfo on a lent GPU machine (not CI). Under a torch bf16 matmul load it runs
# bench/sysinfo-gpu-check.ts (NVML through bun:ffi, compared with the SDK 0.31 wandb-symon on the
# same GPU) and bench/sysinfo-cost.ts; results go to $OUT.
#
# The machine has no bun and no wandb, and bun (103 MB) is over the 64 MiB a run may carry, so
# before the run put xz copies where the working tree takes them along, and delete them after:
#   mkdir -p bench/sysinfo-device
#   xz -T0 -6 -c node_modules/bun/bin/bun.exe > bench/sysinfo-device/bun.xz        # ~40 MB
#   xz -T0 -6 -c .venv/lib/python3.11/site-packages/wandb/bin/wandb-symon > bench/sysinfo-device/symon.xz
# and carry node_modules/@protobuf-ts/runtime (the only package the scripts load on Linux).
set -u
OUT=${OUT:-/tmp/sysinfo-device-out}
mkdir -p "$OUT"
python3 - <<'PY'
import lzma, os, shutil
for src, dst in (("bench/sysinfo-device/bun.xz", "/tmp/bun"), ("bench/sysinfo-device/symon.xz", "/tmp/wandb-symon")):
    with lzma.open(src) as f, open(dst, "wb") as g:
        shutil.copyfileobj(f, g)
    os.chmod(dst, 0o755)
PY
/tmp/bun --version
nvidia-smi -L
ldconfig -p | grep -i nvidia-ml
uname -r
python3 - >"$OUT/load.log" 2>&1 <<'PY' &
import time, torch
a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
b = torch.randn_like(a)
print("load start", flush=True)
t = time.time()
while time.time() - t < 45:
    c = a @ b
    torch.cuda.synchronize()
print("load end", flush=True)
PY
LOAD=$!
for _ in $(seq 60); do grep -q "load start" "$OUT/load.log" && break; sleep 0.5; done
/tmp/bun bench/sysinfo-gpu-check.ts --pid "$LOAD" --symon /tmp/wandb-symon 2>&1 | tee "$OUT/gpu-check.jsonl"
echo "gpu-check exit: ${PIPESTATUS[0]}"
/tmp/bun bench/sysinfo-cost.ts 300 --no-si 2>&1 | tee "$OUT/cost.txt"
kill "$LOAD" 2>/dev/null
wait
