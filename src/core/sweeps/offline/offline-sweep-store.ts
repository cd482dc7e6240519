/**
 * An offline sweep on disk: `<wandb dir>/offline-sweep-<id>/`, next to the offline runs of its
 * trials. Built for many agents at once (array jobs on a shared file system) without a lock:
 *   sweep.json         the sweep, written once (config, entity, project, created)
 *   trials/<run>.json  one file per trial, written only by the agent that runs it (atomic rename)
 *   claims/<key>       a grid point taken by a trial (O_EXCL), so two agents never run one point
 *   synced.json        where `nexus sync` created the sweep on a server (per destination)
 */
import {closeSync, mkdirSync, openSync, readFileSync, readdirSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {writeFileAtomic} from '../../credentials/index.ts'
import type {RunState} from '../search/index.ts'
import {OfflineSweepFileError, OfflineSweepNotFoundError} from './errors.ts'

export const SWEEP_DIR_PREFIX = 'offline-sweep-'
const SCHEMA = 1

/** sweep.json. */
export interface OfflineSweepInfo {
  schema: number
  id: string
  /** The config as uploaded later (plain JSON, distributions filled in). */
  config: Record<string, unknown>
  /** The config as YAML text, as `wandb sweep` uploads it. */
  configYaml: string
  entity: string | null
  project: string
  createdAt: string
}

/** trials/<run>.json. */
export interface TrialRecord {
  runId: string
  config: Record<string, {value: unknown}>
  state: RunState
  exitCode: number | null
  host: string
  pid: number
  startedAt: string
  endedAt?: string
  /** The run's summary when it ended (wandb-summary.json). */
  summary?: Record<string, unknown>
  /** `_step` and the sweep metric of each history row, when it ended. */
  history?: Record<string, unknown>[]
  /** An early-termination policy asked for the run to stop. */
  stopRequested?: boolean
}

/** synced.json: one entry per server/entity/project the sweep was created on. */
export interface SyncedSweep {
  baseUrl: string
  entity: string | null
  project: string
  /** The sweep's id on that server. */
  sweepId: string
  at: string
}

export class OfflineSweepStore {
  readonly dir: string
  readonly info: OfflineSweepInfo

  private constructor(dir: string, info: OfflineSweepInfo) {
    this.dir = dir
    this.info = info
  }

  /** Creates a sweep with a fresh id in `wandbDir` (created if needed). */
  static create(wandbDir: string, sweep: Omit<OfflineSweepInfo, 'schema' | 'id' | 'createdAt'>, newId: () => string): OfflineSweepStore {
    ensureDir(wandbDir)
    for (let attempt = 0; attempt < 20; attempt++) {
      const id = newId()
      const dir = join(wandbDir, `${SWEEP_DIR_PREFIX}${id}`)
      try {
        mkdirSync(dir)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue
        throw new OfflineSweepFileError('create', dir, err)
      }
      const info: OfflineSweepInfo = {schema: SCHEMA, id, ...sweep, createdAt: new Date().toISOString()}
      write(join(dir, 'sweep.json'), info)
      ensureDir(join(dir, 'trials'))
      ensureDir(join(dir, 'claims'))
      return new OfflineSweepStore(dir, info)
    }
    throw new OfflineSweepFileError('create', join(wandbDir, `${SWEEP_DIR_PREFIX}…`), new Error('no free sweep id after 20 tries'))
  }

  /** The sweep `id` of `wandbDir`; OfflineSweepNotFoundError when there is none. */
  static open(wandbDir: string, id: string): OfflineSweepStore {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new OfflineSweepNotFoundError(id, wandbDir, OfflineSweepStore.list(wandbDir))
    const found = OfflineSweepStore.find(wandbDir, id)
    if (!found) throw new OfflineSweepNotFoundError(id, wandbDir, OfflineSweepStore.list(wandbDir))
    return found
  }

  /** The sweep `id` of `wandbDir`, or undefined. */
  static find(wandbDir: string, id: string): OfflineSweepStore | undefined {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) return undefined
    const dir = join(wandbDir, `${SWEEP_DIR_PREFIX}${id}`)
    const path = join(dir, 'sweep.json')
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new OfflineSweepFileError('read', path, err)
    }
    const info = parse<OfflineSweepInfo>(text, path)
    if (info.schema !== SCHEMA || info.id !== id) throw new OfflineSweepFileError('read', path, new Error(`not an offline sweep of schema ${SCHEMA} with id ${id}`))
    return new OfflineSweepStore(dir, info)
  }

  /** The ids of the offline sweeps in `wandbDir`. */
  static list(wandbDir: string): string[] {
    try {
      return readdirSync(wandbDir)
        .filter((n) => n.startsWith(SWEEP_DIR_PREFIX))
        .map((n) => n.slice(SWEEP_DIR_PREFIX.length))
        .sort()
    } catch {
      return []
    }
  }

  /** Every trial of the sweep (all agents'), oldest first. A damaged trial file is skipped. */
  trials(): TrialRecord[] {
    const dir = join(this.dir, 'trials')
    let names: string[]
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    } catch (err) {
      throw new OfflineSweepFileError('read', dir, err)
    }
    const out: TrialRecord[] = []
    for (const name of names) {
      try {
        out.push(JSON.parse(readFileSync(join(dir, name), 'utf8')) as TrialRecord)
      } catch {
        // a trial file being replaced right now, or damaged: the next read sees it
      }
    }
    return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId))
  }

  /** Takes the point `key` for `runId`; false when another trial has it. */
  claim(key: string, runId: string): boolean {
    const path = join(this.dir, 'claims', key)
    let fd: number
    try {
      fd = openSync(path, 'wx', 0o644)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw new OfflineSweepFileError('write', path, err)
    }
    try {
      writeSync(fd, runId)
    } finally {
      closeSync(fd)
    }
    return true
  }

  writeTrial(trial: TrialRecord): void {
    write(join(this.dir, 'trials', `${trial.runId}.json`), trial)
  }

  /** Where `nexus sync` created this sweep. */
  synced(): SyncedSweep[] {
    const path = join(this.dir, 'synced.json')
    try {
      return parse<{synced: SyncedSweep[]}>(readFileSync(path, 'utf8'), path).synced ?? []
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
  }

  addSynced(entry: SyncedSweep): void {
    const rest = this.synced().filter((s) => !(s.baseUrl === entry.baseUrl && s.entity === entry.entity && s.project === entry.project))
    write(join(this.dir, 'synced.json'), {synced: [...rest, entry]})
  }
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, {recursive: true})
  } catch (err) {
    throw new OfflineSweepFileError('create', dir, err)
  }
}

function write(path: string, value: unknown): void {
  try {
    writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`)
  } catch (err) {
    throw new OfflineSweepFileError('write', path, err)
  }
}

function parse<T>(text: string, path: string): T {
  try {
    return JSON.parse(text) as T
  } catch (err) {
    throw new OfflineSweepFileError('read', path, err)
  }
}
