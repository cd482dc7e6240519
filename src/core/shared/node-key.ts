import {readFileSync, statSync} from 'node:fs'
import {NEXUS_VERSION, WANDB_PROTOCOL_VERSION} from '../version.ts'

/**
 * Environment variables that change what a service does, so two processes share a node service
 * only when these are equal: everything the service reads (WANDB_*, NEXUS_*, proxies, CA bundles,
 * home and cache directories, library paths), whether read at start or per request.
 */
const KEY_ENV_PATTERNS: RegExp[] = [
  /^WANDB_/i,
  /^_WANDB_/i,
  /^NEXUS_/i,
  /_PROXY$/i,
  /^SSL_CERT_/i,
  /^NODE_/i,
  /^BUN_/i,
  /^XDG_/i,
  /^(HOME|USERPROFILE|NETRC|TMPDIR|TMP|TEMP|TZ|LANG|LC_ALL|LD_LIBRARY_PATH|NVML_DLL_PATH|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|GIT_PYTHON_GIT_EXECUTABLE|LOCALAPPDATA|WINDIR|PATH)$/i,
]

/**
 * WANDB_* variables the SDK reads for one process and turns into run settings; the service never
 * reads them, so they travel per run and do not split the node (every process of a job array has
 * its own WANDB_RUN_ID).
 */
export const PER_RUN_ENV = new Set([
  'WANDB_RUN_ID',
  'WANDB_NAME',
  'WANDB_NOTES',
  'WANDB_TAGS',
  'WANDB_RUN_GROUP',
  'WANDB_JOB_TYPE',
  'WANDB_JOB_NAME',
  'WANDB_RESUME',
  'WANDB_RESUME_FROM',
  'WANDB_FORK_FROM',
  'WANDB_SERVICE',
  'WANDB_SWEEP_ID',
  'WANDB_SWEEP_PARAM_PATH',
  'WANDB_START_METHOD',
  'WANDB_PROGRAM',
  'WANDB_NOTEBOOK_NAME',
])
/** Nexus variables that only decide whether and how long to share, not what a run does. */
const SHARING_ENV = new Set(['NEXUS_SHARED_SERVICE', 'NEXUS_SHARED_IDLE'])

/** Batch-scheduler job ids: processes of different jobs never share (one job's end kills its processes). */
const JOB_ENV = ['SLURM_JOB_ID', 'SLURM_STEP_ID', 'PBS_JOBID', 'LSB_JOBID', 'JOB_ID', 'FLUX_JOB_ID', 'COBALT_JOBID']

export interface KeyInputs {
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  /** The binary's identity: the version, and the file (path, size, mtime) so two builds never meet. */
  build: string
  umask: number
  logLevel: number
  /** Linux: /proc/self/cgroup. A service in another cgroup dies with that cgroup's job. */
  cgroup: string
}

/** The inputs of this process. */
export function keyInputsOfThisProcess(logLevel: number): KeyInputs {
  let cgroup = ''
  if (process.platform === 'linux') {
    try {
      cgroup = readFileSync('/proc/self/cgroup', 'utf8')
    } catch {
      // no cgroup information: processes are keyed on the rest
    }
  }
  const umask = process.umask(0)
  process.umask(umask)
  return {env: process.env, cwd: process.cwd(), build: buildIdentity(), umask, logLevel, cgroup}
}

/** The version and this executable's file identity. */
export function buildIdentity(): string {
  const st = statSync(process.execPath)
  return `${WANDB_PROTOCOL_VERSION}+nexus.${NEXUS_VERSION}|${process.execPath}|${st.size}|${st.mtimeMs}|${st.ino}`
}

/** Whether the variable is part of the key. */
export function isKeyEnv(name: string): boolean {
  const upper = name.toUpperCase()
  if (PER_RUN_ENV.has(upper) || SHARING_ENV.has(upper)) return false
  if (JOB_ENV.includes(upper)) return true
  return KEY_ENV_PATTERNS.some((p) => p.test(name))
}

/**
 * The node key: 16 hex digits of a hash over everything that must be equal for two processes to
 * share one service. Secrets (WANDB_API_KEY) go into the hash and nowhere else.
 */
export function nodeKey(k: KeyInputs): string {
  const parts = [`build=${k.build}`, `cwd=${k.cwd}`, `umask=${k.umask}`, `log=${k.logLevel}`, `cgroup=${k.cgroup}`]
  for (const name of Object.keys(k.env).sort()) {
    if (isKeyEnv(name)) parts.push(`env:${name}=${k.env[name]}`)
  }
  return Bun.hash(parts.join('\0')).toString(16).padStart(16, '0')
}
