/**
 * The job work of one online run, as the sender drives it: it records the job inputs, used
 * artifacts and the code artifact while the run goes on, and at the end of the run (after pending
 * artifact saves, before the remaining run files and the finish) builds the job and saves it, or
 * completes a partial job's metadata. Failures are logged and never fail the run.
 */
import type {GraphQLClient, RetryPolicy} from '../api/index.ts'
import type {RunArtifacts} from '../artifacts/index.ts'
import type {Logger} from '../observability/index.ts'
import type {Operation, Operations} from '../operations/index.ts'
import type {JobInputRequest, UseArtifactRecord} from '../proto.ts'
import {JobBuilder, type RunState} from './job-builder.ts'
import type {JobSettings} from './job-settings.ts'

const UPDATE_ARTIFACT = `mutation UpdateArtifact($artifactID: ID!, $metadata: JSONString) {
  updateArtifact(input: {artifactID: $artifactID, metadata: $metadata}) {
    artifact {
      id
    }
  }
}`

export interface RunJobOptions {
  settings: JobSettings
  logger: Logger
  operations: Operations
  artifacts: RunArtifacts
  graphql: GraphQLClient
  graphqlPolicy?: RetryPolicy
  /** The run's state when the job is built. */
  runState: () => RunState
  /** The run's signal: aborting it cancels the save. */
  signal: AbortSignal
}

/** What flush() did: saved a job (its artifact id), completed a partial job, or nothing (and why). */
export type JobOutcome = {kind: 'saved'; artifactId: string; name: string} | {kind: 'partial'; artifactId: string} | {kind: 'none'; reason: string} | {kind: 'failed'; error: unknown}

export class RunJob {
  readonly #o: RunJobOptions
  readonly #builder: JobBuilder

  constructor(o: RunJobOptions) {
    this.#o = o
    this.#builder = new JobBuilder({settings: o.settings, logger: o.logger})
  }

  handleJobInput(request: JobInputRequest): void {
    this.#builder.addInput(request)
  }

  handleUseArtifact(record: UseArtifactRecord): void {
    this.#builder.useArtifact({type: record.type, id: record.id, partial: record.partial})
  }

  /** A log_artifact save ended; a "code" artifact becomes the source of an artifact job. */
  artifactLogged(type: string, name: string, artifactId: string): void {
    if (type === 'code') this.#builder.setCodeArtifact(artifactId, name)
  }

  /** Builds and saves the job under a "saving job artifact" operation. Never rejects. */
  async flush(): Promise<JobOutcome> {
    const {logger, operations} = this.#o
    const op = operations.start('saving job artifact')
    try {
      return await this.#flush(op)
    } catch (error) {
      logger.captureError('sender: failed to build or save the job artifact', error)
      return {kind: 'failed', error}
    } finally {
      op.finish()
    }
  }

  async #flush(op: Operation): Promise<JobOutcome> {
    const plan = await this.#builder.build(this.#o.runState())
    if (plan.kind === 'none') return plan
    if (plan.kind === 'partial') {
      await this.#o.graphql.request(
        {query: UPDATE_ARTIFACT, operationName: 'UpdateArtifact', variables: {artifactID: plan.artifactId, metadata: plan.metadata}},
        {policy: this.#o.graphqlPolicy, signal: this.#o.signal},
      )
      return {kind: 'partial', artifactId: plan.artifactId}
    }
    try {
      const artifactId = await this.#o.artifacts.save(plan.artifact.record, {operation: op})
      return {kind: 'saved', artifactId, name: plan.artifact.record.name}
    } finally {
      plan.artifact.cleanup()
    }
  }
}
