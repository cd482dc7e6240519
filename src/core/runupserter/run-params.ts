import {RunRecord, SummaryItem, SummaryRecord, Timestamp} from '../proto.ts'
import {stringifyExtendedJson} from '../json/index.ts'

/** Line offsets where file_stream resumes writing (resume / rewind / a server with history). */
export interface FileStreamOffsets {
  history: number
  events: number
  summary: number
  output: number
}

/**
 * The run's identity and metadata as the upserter tracks them (Go runbranch.RunParams): merged
 * from every run record (non-empty values win) and from the server's answers.
 */
export class RunParams {
  storageId = ''
  entity = ''
  project = ''
  runId = ''
  groupName = ''
  displayName = ''
  notes = ''
  commit = ''
  remoteUrl = ''
  host = ''
  program = ''
  jobType = ''
  sweepId = ''
  startingStep = 0n
  runtime = 0
  tags: string[] = []
  /** Summary restored from a resumed run (top-level keys). */
  summary: Record<string, unknown> | undefined
  resumed = false
  forked = false
  startTimeMs = 0
  offsets: FileStreamOffsets = {history: 0, events: 0, summary: 0, output: 0}

  /** Applies a run record: non-empty fields replace ours (host only when machine info is allowed). */
  update(r: RunRecord, o: {disableMachineInfo: boolean; program: string}): void {
    if (r.storage_id) this.storageId = r.storage_id
    if (r.entity) this.entity = r.entity
    if (r.project) this.project = r.project
    if (r.run_id) this.runId = r.run_id
    if (r.run_group) this.groupName = r.run_group
    if (r.display_name) this.displayName = r.display_name
    if (r.notes) this.notes = r.notes
    if (r.git?.commit) this.commit = r.git.commit
    if (r.git?.remote_url) this.remoteUrl = r.git.remote_url
    if (!o.disableMachineInfo && r.host) this.host = r.host
    if (o.program) this.program = o.program
    if (r.job_type) this.jobType = r.job_type
    if (r.sweep_id) this.sweepId = r.sweep_id
    if (r.starting_step !== 0n) this.startingStep = r.starting_step
    if (r.runtime !== 0) this.runtime = r.runtime
    if (r.tags.length > 0) this.tags = [...r.tags]
    if (r.resumed) this.resumed = true
    if (r.forked) this.forked = true
    if (r.start_time) {
      const ms = Number(r.start_time.seconds) * 1000 + Math.floor(r.start_time.nanos / 1e6)
      if (ms > 0) this.startTimeMs = ms
    }
  }

  /** Writes our view into a run record (Go SetOnProto), for run_result. */
  setOn(r: RunRecord): void {
    r.storage_id = this.storageId
    r.entity = this.entity
    r.project = this.project
    r.run_id = this.runId
    r.run_group = this.groupName
    r.display_name = this.displayName
    r.notes = this.notes
    r.git = {commit: this.commit, remote_url: this.remoteUrl}
    r.host = this.host
    r.job_type = this.jobType
    r.sweep_id = this.sweepId
    r.starting_step = this.startingStep
    r.runtime = this.runtime
    r.tags = [...this.tags]
    r.summary = SummaryRecord.create({
      update: Object.entries(this.summary ?? {}).map(([key, v]) => SummaryItem.create({key, value_json: stringifyExtendedJson(v)})),
    })
    r.resumed = this.resumed
    r.forked = this.forked
    r.start_time = Timestamp.create({seconds: BigInt(Math.floor(this.startTimeMs / 1000)), nanos: (this.startTimeMs % 1000) * 1e6})
  }
}
