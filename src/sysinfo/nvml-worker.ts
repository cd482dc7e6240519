/**
 * Worker-thread entry that owns NVML for NvidiaWorkerResource. Some NVML readings block for tens
 * of milliseconds (nvmlDeviceGetPcieThroughput samples over 20 ms, twice per GPU; the energy
 * counter takes a few ms), which would stall the service's event loop every sample; here they
 * block only this thread. Requests and replies are the messages typed in nvidia-worker-resource.ts.
 */
import {errorMessage} from '../core/errors.ts'
import {NvidiaGpuResource} from './nvidia-gpu.ts'
import {openNvml} from './nvml-ffi.ts'
import type {WorkerReply, WorkerRequest} from './nvidia-worker-resource.ts'

const port = self as unknown as {postMessage(m: WorkerReply): void; onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null}
let resource: NvidiaGpuResource | undefined

port.onmessage = async (e) => {
  const req = e.data
  try {
    switch (req.type) {
      case 'open': {
        resource = new NvidiaGpuResource(openNvml(req.libraryPath), {pid: req.pid, gpuDeviceIds: req.gpuDeviceIds})
        port.postMessage({id: req.id, type: 'opened', deviceCount: resource.deviceCount})
        return
      }
      case 'sample':
        port.postMessage({id: req.id, type: 'sample', metrics: [...((await resource?.sample()) ?? [])]})
        return
      case 'probe':
        port.postMessage({id: req.id, type: 'probe', info: (await resource?.probe()) ?? {}})
        return
      case 'close':
        resource?.close()
        resource = undefined
        port.postMessage({id: req.id, type: 'closed'})
        return
    }
  } catch (err) {
    port.postMessage({id: req.id, type: 'error', message: errorMessage(err)})
  }
}
