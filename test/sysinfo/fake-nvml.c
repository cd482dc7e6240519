/*
 * A stand-in for libnvidia-ml.so.1 with the NVML entry points Nexus binds, answering with the
 * readings of an NVIDIA H200 (fixtures/gpu). Built by the tests to check the bun:ffi binding
 * (signatures, struct layouts, error codes, the worker thread) on machines without a GPU, and
 * loaded by wandb-symon 0.31 in symon-parity.test.ts. Device 1 is a
 * second, idle H200. Graphics-process queries are deliberately absent (older drivers lack them).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct { int index; } device_t;
static device_t devices[2] = {{0}, {1}};
static unsigned int init_result = 0;
static unsigned int initialized = 0;
static unsigned int user_pids[64];
static unsigned int user_pid_count = 0;
static unsigned long long energy_mj = 1000000;

static unsigned int memory_v2_missing = 0;
void fake_nvml_fail_init(unsigned int rc) { init_result = rc; }
void fake_nvml_without_memory_v2(unsigned int missing) { memory_v2_missing = missing; }
void fake_nvml_set_pids(unsigned int n, unsigned int *pids) {
  user_pid_count = n > 64 ? 64 : n;
  memcpy(user_pids, pids, user_pid_count * sizeof(unsigned int));
}
unsigned int fake_nvml_initialized(void) { return initialized; }

/* FAKE_NVML_PIDS="12,34" presets the compute processes of GPU 0 (for other processes loading the fake). */
int nvmlInit_v2(void) {
  if (init_result) return (int)init_result;
  const char *env = getenv("FAKE_NVML_PIDS");
  if (env) user_pid_count = 0;
  while (env && *env && user_pid_count < 64) {
    char *end;
    user_pids[user_pid_count++] = (unsigned int)strtoul(env, &end, 10);
    env = *end == ',' ? end + 1 : end;
    if (end == env && *env) break;
  }
  initialized++;
  return 0;
}
int nvmlShutdown(void) { initialized--; return 0; }
int nvmlDeviceGetCount_v2(unsigned int *n) { *n = 2; return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned int i, device_t **h) { if (i > 1) return 2; *h = &devices[i]; return 0; }
int nvmlSystemGetCudaDriverVersion_v2(int *v) { *v = 13000; return 0; }
int nvmlSystemGetDriverVersion(char *buf, unsigned int len) { strncpy(buf, "580.159.04", len); return 0; }
int nvmlDeviceGetName(device_t *d, char *buf, unsigned int len) { strncpy(buf, "NVIDIA H200", len); return 0; }
int nvmlDeviceGetUUID(device_t *d, char *buf, unsigned int len) {
  strncpy(buf, d->index ? "GPU-00000000-0000-0000-0000-000000000001" : "GPU-96ff496c-fac0-c9eb-6ecb-d55885ca781c", len);
  return 0;
}
int nvmlDeviceGetArchitecture(device_t *d, unsigned int *a) { *a = 9; return 0; }
int nvmlDeviceGetNumGpuCores(device_t *d, unsigned int *n) { *n = 16896; return 0; }

typedef struct {
  char busIdLegacy[16];
  unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
  char busId[32];
} pci_info_t;
int nvmlDeviceGetPciInfo_v3(device_t *d, pci_info_t *p) {
  memset(p, 0, sizeof *p);
  strcpy(p->busIdLegacy, "0000:00:06.0");
  p->bus = 0; p->device = 6 + d->index; p->pciDeviceId = 0x233510DE;
  strcpy(p->busId, d->index ? "00000000:00:07.0" : "00000000:00:06.0");
  return 0;
}
int nvmlDeviceGetUtilizationRates(device_t *d, unsigned int *u) { u[0] = d->index ? 0 : 100; u[1] = d->index ? 0 : 25; return 0; }
int nvmlDeviceGetMemoryInfo(device_t *d, unsigned long long *m) {
  m[0] = 150754820096ULL; m[2] = d->index ? 0ULL : 1839071232ULL; m[1] = m[0] - m[2];
  return 0;
}
typedef struct { unsigned int version; unsigned long long total, reserved, free, used; } memory_v2_t;
int nvmlDeviceGetMemoryInfo_v2(device_t *d, memory_v2_t *m) {
  if (memory_v2_missing) return 13; /* NVML_ERROR_FUNCTION_NOT_FOUND, as drivers before v2 */
  if (m->version != (40u | (2u << 24))) return 25; /* NVML_ERROR_ARGUMENT_VERSION_MISMATCH */
  m->total = 150754820096ULL; m->reserved = 644743168ULL;
  m->used = d->index ? 0ULL : 1194328064ULL; /* 1139 MiB, as nvidia-smi showed under load */
  m->free = m->total - m->reserved - m->used;
  return 0;
}
int nvmlDeviceGetTemperature(device_t *d, unsigned int sensor, unsigned int *t) { if (sensor != 0) return 2; *t = d->index ? 37 : 61; return 0; }
int nvmlDeviceGetPowerUsage(device_t *d, unsigned int *mw) { *mw = d->index ? 76810 : 692818; return 0; }
int nvmlDeviceGetEnforcedPowerLimit(device_t *d, unsigned int *mw) { *mw = 700000; return 0; }
int nvmlDeviceGetTotalEnergyConsumption(device_t *d, unsigned long long *mj) { energy_mj += 692818; *mj = energy_mj; return 0; }
int nvmlDeviceGetClockInfo(device_t *d, unsigned int type, unsigned int *mhz) {
  static const unsigned int clocks[3] = {1500, 1500, 3201}; /* graphics, sm, memory */
  if (type > 2) return 2;
  *mhz = clocks[type];
  return 0;
}
int nvmlDeviceGetMemoryErrorCounter(device_t *d, unsigned int kind, unsigned int counter, unsigned int location, unsigned long long *n) {
  if (counter != 0 || location != 2) return 2; /* only volatile device-memory counters */
  *n = kind == 0 ? 3 : 1;
  return 0;
}
int nvmlDeviceGetFanSpeed(device_t *d, unsigned int *s) { return 3; /* NVML_ERROR_NOT_SUPPORTED */ }
int nvmlDeviceGetEncoderUtilization(device_t *d, unsigned int *u, unsigned int *period) { *u = 0; *period = 100000; return 0; }
int nvmlDeviceGetCurrPcieLinkGeneration(device_t *d, unsigned int *g) { *g = 5; return 0; }
int nvmlDeviceGetCurrPcieLinkWidth(device_t *d, unsigned int *w) { *w = 16; return 0; }
int nvmlDeviceGetMaxPcieLinkGeneration(device_t *d, unsigned int *g) { *g = 5; return 0; }
int nvmlDeviceGetMaxPcieLinkWidth(device_t *d, unsigned int *w) { *w = 16; return 0; }
int nvmlDeviceGetPcieSpeed(device_t *d, unsigned int *mbps) { *mbps = 32000; return 0; }
/* Like the real driver, a throughput reading blocks for its 20 ms measurement window. */
int nvmlDeviceGetPcieThroughput(device_t *d, unsigned int counter, unsigned int *kbps) {
  usleep(20000);
  *kbps = counter == 0 ? 7602 : 16640;
  return 0;
}

typedef struct { unsigned int pid; unsigned long long usedGpuMemory; unsigned int gpuInstanceId, computeInstanceId; } process_info_t;
int nvmlDeviceGetComputeRunningProcesses_v3(device_t *d, unsigned int *count, process_info_t *out) {
  unsigned int n = d->index ? 0 : user_pid_count;
  if (*count < n) { *count = n; return 7; /* NVML_ERROR_INSUFFICIENT_SIZE */ }
  for (unsigned int i = 0; i < n; i++) { out[i].pid = user_pids[i]; out[i].usedGpuMemory = 1184890880ULL; out[i].gpuInstanceId = 0xFFFFFFFF; out[i].computeInstanceId = 0xFFFFFFFF; }
  *count = n;
  return 0;
}
