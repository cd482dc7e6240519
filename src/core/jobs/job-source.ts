/**
 * Where a job's code comes from, and the job's name: a git repository and commit ("repo"), the
 * run's code artifact ("artifact", after `run.log_code()`), or a docker image ("image"). The kind
 * is forced by the job_source setting or detected in that order; the name is `job-<origin>` made
 * safe for an artifact name, or job_name as given.
 */
import {existsSync} from 'node:fs'
import {basename, isAbsolute, join, normalize, relative} from 'node:path'
import type {Logger} from '../observability/index.ts'
import {JobBuildError} from './errors.ts'
import type {JobSettings} from './job-settings.ts'
import type {RunMetadata} from './run-metadata.ts'

export type SourceType = 'repo' | 'artifact' | 'image'

/** The `source` object of wandb-job.json (fields in Go's order). */
export type JobSource = {git: {remote: string; commit: string}; entrypoint: string[]; notebook: boolean} | {artifact: string; entrypoint: string[]; notebook: boolean} | {image: string}

/** The run's code artifact, once a log_artifact of type "code" finished (id "" if its save failed). */
export interface CodeArtifact {
  id: string
  name: string
}

export interface SourceContext {
  settings: JobSettings
  logger: Logger
  metadata: RunMetadata
  codeArtifact: CodeArtifact | undefined
  /** The service's working directory (notebook checks); default process.cwd(). */
  cwd?: string
}

/** A job source, its artifact name, and the aliases it adds (an image's tag). */
export interface NamedSource {
  source: JobSource
  name: string
  aliases: string[]
}

const UNSAFE = /[^a-zA-Z0-9_\-.]/gu
const MAX_NAME = 128

/** An artifact-safe name: other characters become "_", and a name over 128 characters keeps its first and last 63 around "..". */
export function artifactSafeName(name: string): string {
  const cleaned = name.replace(UNSAFE, '_')
  return cleaned.length <= MAX_NAME ? cleaned : `${cleaned.slice(0, 63)}..${cleaned.slice(-63)}`
}

function jobName(settings: JobSettings, derived: string): string {
  return settings.name !== undefined ? settings.name : artifactSafeName(`job-${derived}`)
}

function hasRepoIngredients(c: SourceContext): boolean {
  if (c.metadata.root === undefined && c.settings.notebook) return false
  return c.metadata.git?.commit !== undefined && c.metadata.git.remote !== undefined
}

/**
 * The kind of job to build, or undefined when the run has no ingredients for any. Throws
 * JobBuildError when job_source asks for a kind the run cannot make.
 */
export function detectSourceType(c: SourceContext): SourceType | undefined {
  const has: Record<SourceType, () => boolean> = {
    repo: () => hasRepoIngredients(c),
    artifact: () => c.codeArtifact !== undefined,
    image: () => c.metadata.docker !== undefined,
  }
  const forced = c.settings.source
  if (forced === 'repo' || forced === 'artifact' || forced === 'image') {
    if (!has[forced]()) {
      c.logger.warn(`No ${forced} job ingredients found, not creating job artifact`)
      throw new JobBuildError(`jobs: no ${forced} job ingredients found, but source type set to ${forced}`)
    }
    return forced
  }
  const found = (['repo', 'artifact', 'image'] as const).find((t) => has[t]())
  if (found === undefined) c.logger.warn('No job ingredients found, not creating job artifact')
  return found
}

/** The program's path for the job: the notebook's for notebooks, else the code path (the local one for artifact jobs). */
export function programRelpath(c: SourceContext, type: SourceType): string | undefined {
  if (c.settings.notebook) {
    if (c.metadata.program === undefined) c.logger.warn("Notebook 'program' path not found in metadata. See https://docs.wandb.ai/platform/launch/create-job")
    return c.metadata.program
  }
  if (type === 'artifact' && c.metadata.codePathLocal !== undefined) return c.metadata.codePathLocal
  return c.metadata.codePath
}

/** `["python3.11", program]`, or the entrypoint of a partial job. Throws JobBuildError without a Python version. */
export function entrypoint(program: string, metadata: RunMetadata): string[] {
  if (metadata.partial !== undefined && metadata.entrypoint !== undefined) return metadata.entrypoint
  if (metadata.python === undefined) throw new JobBuildError('jobs: missing python attribute in metadata')
  return [`python${metadata.python.split('.').slice(0, 2).join('.')}`, program]
}

/**
 * A notebook's program path relative to the repository root: the notebook server's folder relative
 * to the root, joined with the program path; leading ".." steps (and as many folders after them)
 * are dropped, as wandb-core does.
 */
export function pathFromRoot(program: string, root: string, jupyterRoot: string): string {
  if (isAbsolute(root) !== isAbsolute(jupyterRoot)) throw new JobBuildError(`jobs: cannot make ${jupyterRoot} relative to ${root}`)
  let full = normalize(join(relative(root, jupyterRoot), program))
  if (full.startsWith('..')) {
    const parts = full.split('/')
    const dots = parts.filter((p) => p === '..').length
    if (2 * dots > parts.length) throw new JobBuildError(`jobs: program path ${full} leaves the repository root`)
    full = parts.slice(2 * dots).join('/')
  }
  return full
}

function repoSource(c: SourceContext, program: string): NamedSource | undefined {
  let full = program
  if (c.settings.notebook) {
    if (!existsSync(join(c.cwd ?? process.cwd(), basename(program)))) {
      c.logger.warn('Unable to find program entrypoint in current directory, not creating job artifact.')
      return undefined
    }
    if (c.metadata.root === undefined || c.settings.jupyterRoot === undefined) {
      throw new JobBuildError('jobs: no root path in metadata, or settings missing jupyter root, not creating job artifact')
    }
    full = pathFromRoot(program, c.metadata.root, c.settings.jupyterRoot)
  }
  const git = c.metadata.git as {remote: string; commit: string}
  return {
    source: {git: {remote: git.remote, commit: git.commit}, entrypoint: entrypoint(full, c.metadata), notebook: c.settings.notebook},
    name: jobName(c.settings, `${git.remote}_${program}`),
    aliases: [],
  }
}

function artifactSource(c: SourceContext, program: string): NamedSource {
  let full = program
  if (c.settings.notebook && !c.settings.colab) {
    const cwd = c.cwd ?? process.cwd()
    if (!existsSync(join(cwd, program))) {
      full = basename(program)
      if (!existsSync(join(cwd, full))) {
        c.logger.warn('No program path found when generating artifact job source for a non-colab notebook run. See https://docs.wandb.ai/platform/launch/create-job')
        throw new JobBuildError(`jobs: notebook program ${program} not found`)
      }
    }
  }
  const point = entrypoint(full, c.metadata)
  const code = c.codeArtifact
  if (code === undefined) throw new JobBuildError('jobs: no code artifact for an artifact job')
  return {source: {artifact: `wandb-artifact://_id/${code.id}`, entrypoint: point, notebook: c.settings.notebook}, name: jobName(c.settings, code.name), aliases: []}
}

const TAG = /^[a-zA-Z0-9_\-.]+$/

function imageSource(c: SourceContext): NamedSource {
  const image = c.metadata.docker
  if (image === undefined) throw new JobBuildError('jobs: no docker image provided for image sourced job')
  const at = image.lastIndexOf(':')
  const tag = at === -1 ? undefined : image.slice(at + 1)
  if (tag !== undefined && TAG.test(tag)) return {source: {image}, name: jobName(c.settings, image.replace(`:${tag}`, '')), aliases: [tag]}
  return {source: {image}, name: jobName(c.settings, image), aliases: []}
}

/**
 * The source and name of a job of `type`, or undefined when a notebook's program is not where the
 * job could run it. Throws JobBuildError for metadata that cannot make that kind of job.
 */
export function namedSource(c: SourceContext, type: SourceType, program: string | undefined): NamedSource | undefined {
  if (type === 'image') return imageSource(c)
  if (program === undefined) throw new JobBuildError(`jobs: no program path found for ${type} sourced job`)
  return type === 'repo' ? repoSource(c, program) : artifactSource(c, program)
}
