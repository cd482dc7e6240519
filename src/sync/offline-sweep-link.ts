/**
 * Offline sweeps in `nexus sync`: a trial run's record names its offline sweep (`sweep_id`), whose
 * folder lies next to the run's (`<wandb dir>/offline-sweep-<id>/`). Before the run is created on
 * the server, the sweep is created there with its config, once per server, entity and project
 * (remembered in the sweep folder, so a second sync, or the trials of other agents synced
 * later, join the same sweep), and the run is created in that sweep. A grid whose every point has
 * run is created finished. A run whose sweep cannot be created fails its sync (and is retried by
 * the next one) rather than being synced without its sweep.
 */
import {dirname, join} from 'node:path'
import {ExitCode} from '../core/exit-codes.ts'
import {errorMessage} from '../core/errors.ts'
import {OfflineSweepStore, SweepApi, nextRun} from '../core/sweeps/index.ts'
import {SyncBusyError, SyncLock} from './sync-lock.ts'
import {SyncError} from './sync-errors.ts'

/** What a replay asks: the server's sweep for the run's offline sweep, or undefined when it has none. */
export interface SweepLink {
  (run: LinkedRun): Promise<string | undefined>
}

/** A trial run being synced: its file, its offline sweep id and where it goes. */
export interface LinkedRun {
  file: string
  sweepId: string
  entity: string
  project: string
  /** A line for the user about this run. */
  notice: (line: string) => void
}

export class OfflineSweepLinker {
  readonly #api: SweepApi
  readonly #baseUrl: string
  readonly #pending = new Map<string, Promise<string | undefined>>()

  constructor(o: {baseUrl: string; apiKey: string; fetch?: typeof fetch}) {
    this.#api = new SweepApi({baseUrl: o.baseUrl, apiKey: o.apiKey, fetch: o.fetch})
    this.#baseUrl = o.baseUrl
  }

  /** The SweepLink of this linker (one creation per sweep and destination, also across parallel runs). */
  readonly link: SweepLink = (run) => {
    const wandbDir = dirname(dirname(run.file))
    const key = [wandbDir, run.sweepId, run.entity, run.project].join('\0')
    let p = this.#pending.get(key)
    if (!p) {
      p = this.#resolve(wandbDir, run)
      this.#pending.set(key, p)
      // a failure is not remembered: the next run of the sweep tries again
      p.catch(() => this.#pending.delete(key))
    }
    return p
  }

  async #resolve(wandbDir: string, run: LinkedRun): Promise<string | undefined> {
    const store = OfflineSweepStore.find(wandbDir, run.sweepId)
    if (!store) return undefined
    const entity = run.entity || null
    const project = run.project || store.info.project
    const known = store.synced().find((s) => s.baseUrl === this.#baseUrl && s.entity === entity && s.project === project)
    if (known) return known.sweepId
    let lock: SyncLock
    try {
      lock = SyncLock.acquire(join(store.dir, 'sync.lock'), store.dir)
    } catch (err) {
      if (err instanceof SyncBusyError)
        throw new SyncError('sync: offline sweep busy', `The offline sweep ${run.sweepId} is being created on the server by another sync; this run is left for the next sync.`, {
          cause: err,
          exitCode: ExitCode.BUSY,
        })
      throw err
    }
    try {
      // another process may have created it while we waited for the lock
      const again = store.synced().find((s) => s.baseUrl === this.#baseUrl && s.entity === entity && s.project === project)
      if (again) return again.sweepId
      const sweepId = await this.#create(store, entity, project)
      store.addSynced({baseUrl: this.#baseUrl, entity, project, sweepId, at: new Date().toISOString()})
      run.notice(`Created sweep ${sweepId} on the server for offline sweep ${store.info.id}`)
      return sweepId
    } finally {
      lock.release()
    }
  }

  async #create(store: OfflineSweepStore, entity: string | null, project: string): Promise<string> {
    const info = store.info
    let name: string | undefined
    let objId: string | undefined
    try {
      const data = await this.#api.upsertSweep({
        id: null,
        config: info.configYaml,
        description: info.config.description ?? null,
        entityName: entity,
        projectName: project,
        controller: null,
        launchScheduler: null,
        templateVariableValues: 'null',
        scheduler: null,
        priorRunsFilters: null,
        displayName: null,
      })
      name = data.upsertSweep?.sweep?.name
      if (name && exhausted(store)) {
        const ref = await this.#api.sweepRef(entity, project, name)
        objId = ref?.id
        if (objId) await this.#api.setState(objId, 'FINISHED', entity, project)
      }
    } catch (err) {
      throw new SyncError(
        `sync: cannot create offline sweep ${info.id}: ${errorMessage(err)}`,
        `Cannot create the offline sweep ${info.id} on ${this.#baseUrl}: ${errorMessage(err)}. Nothing of its runs was synced; run the sync again.`,
        {cause: err, exitCode: ExitCode.NETWORK},
      )
    }
    if (!name) throw new SyncError('sync: no sweep in the answer', `The server answered the creation of offline sweep ${info.id} without a sweep.`, {exitCode: ExitCode.INTERNAL})
    return name
  }
}

/** Every trial ended and the search has no point left (a grid run to its end). */
function exhausted(store: OfflineSweepStore): boolean {
  const trials = store.trials()
  if (trials.some((t) => t.state === 'running' || t.state === 'pending')) return false
  const runs = trials.map((t) => ({name: t.runId, state: t.state, config: t.config, summaryMetrics: t.summary ?? {}, history: t.history ?? []}))
  return nextRun(store.info.config, runs) === null
}
