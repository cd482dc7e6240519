import type {EnvironmentRecord} from '../core/proto.ts'
import {NvmlUnavailableError} from './errors.ts'
import type {Metrics, Resource} from './resource.ts'

/** Messages to the NVML worker (nvml-worker.ts). */
export type WorkerRequest = {id: number; type: 'open'; libraryPath: string; pid: number; gpuDeviceIds?: number[]} | {id: number; type: 'sample' | 'probe' | 'close'}

/** Replies from the NVML worker, matched to requests by `id`. */
export type WorkerReply =
  | {id: number; type: 'opened'; deviceCount: number}
  | {id: number; type: 'sample'; metrics: [string, number][]}
  | {id: number; type: 'probe'; info: Partial<EnvironmentRecord>}
  | {id: number; type: 'closed'}
  | {id: number; type: 'error'; message: string}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/**
 * Where the worker script is: beside this module when run from source; inside a `bun build
 * --compile` binary, at its path relative to the build root (the repository), which is where an
 * extra entry point `src/sysinfo/nvml-worker.ts` lands.
 */
function workerUrls(): string[] {
  return [new URL('./nvml-worker.ts', import.meta.url).href, './src/sysinfo/nvml-worker.ts']
}

/** How long a worker may take to answer before the request counts as failed. */
const REPLY_TIMEOUT_MS = 30_000

/**
 * The NVIDIA resource run on a worker thread, so NVML's blocking readings never stall the event
 * loop. Same keys and probe as NvidiaGpuResource. A worker that fails or stops answering turns
 * into an empty resource (no metrics), never an exception. Between requests the worker does not
 * keep the process alive.
 */
export class NvidiaWorkerResource implements Resource {
  readonly name = 'nvidia'
  readonly #worker: Worker
  readonly #pending = new Map<number, (reply: WorkerReply | undefined) => void>()
  #nextId = 1
  #dead = false
  #deviceCount = 0

  private constructor(worker: Worker) {
    this.#worker = worker
  }

  /** Number of GPUs NVML reports in the worker. */
  get deviceCount(): number {
    return this.#deviceCount
  }

  /**
   * Starts the worker and opens NVML from `libraryPath` in it. Rejects with NvmlUnavailableError
   * when no worker script starts (a compiled binary built without nvml-worker.ts as an entry
   * point) or NVML cannot be opened there.
   */
  static async start(o: {libraryPath: string; pid: number; gpuDeviceIds?: number[]; workerUrl?: string}): Promise<NvidiaWorkerResource> {
    for (const url of o.workerUrl ? [o.workerUrl] : workerUrls()) {
      let worker: Worker
      try {
        worker = new Worker(url)
      } catch {
        continue
      }
      const resource = new NvidiaWorkerResource(worker)
      worker.onmessage = (e: MessageEvent<WorkerReply>) => resource.#settle(e.data.id, e.data)
      worker.onerror = () => resource.#fail()
      worker.addEventListener('close', () => resource.#fail())
      const reply = await resource.#request({type: 'open', libraryPath: o.libraryPath, pid: o.pid, gpuDeviceIds: o.gpuDeviceIds})
      if (reply?.type === 'opened') {
        resource.#deviceCount = reply.deviceCount
        return resource
      }
      worker.terminate()
      if (reply?.type === 'error') throw new NvmlUnavailableError(reply.message)
    }
    throw new NvmlUnavailableError('cannot start the NVML worker')
  }

  async sample(): Promise<Metrics> {
    const reply = await this.#request({type: 'sample'})
    return new Map(reply?.type === 'sample' ? reply.metrics : [])
  }

  async probe(): Promise<Partial<EnvironmentRecord>> {
    const reply = await this.#request({type: 'probe'})
    return reply?.type === 'probe' ? reply.info : {}
  }

  async close(): Promise<void> {
    if (this.#dead) return
    await this.#request({type: 'close'})
    this.#dead = true
    this.#worker.terminate()
  }

  #request(req: DistributiveOmit<WorkerRequest, 'id'>): Promise<WorkerReply | undefined> {
    if (this.#dead) return Promise.resolve(undefined)
    const id = this.#nextId++
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#settle(id, undefined), REPLY_TIMEOUT_MS)
      timer.unref?.()
      this.#holdLoop(true)
      this.#pending.set(id, (reply) => {
        clearTimeout(timer)
        resolve(reply)
      })
      this.#worker.postMessage({...req, id} as WorkerRequest)
    })
  }

  #settle(id: number, reply: WorkerReply | undefined): void {
    const done = this.#pending.get(id)
    this.#pending.delete(id)
    if (this.#pending.size === 0) this.#holdLoop(false)
    done?.(reply)
  }

  /**
   * The worker keeps the process alive only while a request is pending. (Left unref'd while
   * waiting, Bun busy-polls for the reply when nothing else holds the event loop: a whole core
   * for the 50 ms of an H200 sample.)
   */
  #holdLoop(hold: boolean): void {
    const w = this.#worker as Worker & {ref?: () => void; unref?: () => void}
    if (hold) w.ref?.()
    else w.unref?.()
  }

  #fail(): void {
    this.#dead = true
    for (const id of [...this.#pending.keys()]) this.#settle(id, undefined)
  }
}
