/** Source detection, names, entrypoints and the notebook path rules of job-source.ts. */
import {describe, expect, test} from 'bun:test'
import {
  artifactSafeName,
  detectSourceType,
  entrypoint,
  JobBuildError,
  namedSource,
  parseRunMetadata,
  pathFromRoot,
  programRelpath,
  type JobSettings,
  type RunMetadata,
  type SourceContext,
} from '../../../src/core/jobs/index.ts'
import {nullLogger} from '../../../src/core/observability/index.ts'

const SETTINGS: JobSettings = {disabled: false, source: '', name: undefined, notebook: false, jupyterRoot: undefined, colab: false, filesDir: '/nonexistent'}
const GIT = {remote: 'https://github.com/o/r.git', commit: 'abc123'}

const ctx = (metadata: RunMetadata, o: Omit<Partial<SourceContext>, 'settings'> & {settings?: Partial<JobSettings>} = {}): SourceContext => ({
  logger: nullLogger,
  codeArtifact: undefined,
  ...o,
  metadata,
  settings: {...SETTINGS, ...o.settings},
})

describe('detectSourceType', () => {
  test('repo before artifact before image; nothing without ingredients', () => {
    const code = {id: 'QXJ0aWZhY3Q6MQ==', name: 'source-p-train.py'}
    expect(detectSourceType(ctx({git: GIT, docker: 'img'}, {codeArtifact: code}))).toBe('repo')
    expect(detectSourceType(ctx({git: {remote: GIT.remote}, docker: 'img'}, {codeArtifact: code}))).toBe('artifact')
    expect(detectSourceType(ctx({docker: 'img'}))).toBe('image')
    expect(detectSourceType(ctx({git: {commit: 'abc'}}))).toBeUndefined()
  })

  test('job_source forces a kind, and is an error when the run cannot make it', () => {
    expect(detectSourceType(ctx({git: GIT, docker: 'img'}, {settings: {source: 'image'}}))).toBe('image')
    expect(() => detectSourceType(ctx({git: GIT}, {settings: {source: 'artifact'}}))).toThrow(JobBuildError)
  })

  test('a notebook needs the root in the metadata for a repo job', () => {
    expect(detectSourceType(ctx({git: GIT}, {settings: {notebook: true}}))).toBeUndefined()
    expect(detectSourceType(ctx({git: GIT, root: '/r'}, {settings: {notebook: true}}))).toBe('repo')
  })
})

describe('names', () => {
  test('unsafe characters become _, long names keep 63 + .. + 63', () => {
    expect(artifactSafeName('job-https://github.com/o/r.git_a b/ü.py')).toBe('job-https___github.com_o_r.git_a_b__.py')
    const long = artifactSafeName(`job-${'a'.repeat(100)}${'b'.repeat(100)}`)
    expect(long).toBe(`job-${'a'.repeat(59)}..${'b'.repeat(63)}`)
    expect(artifactSafeName('x'.repeat(128))).toHaveLength(128)
  })

  test('repo: job-<remote>_<program>; job_name replaces it as given, even when empty', () => {
    const meta = {git: GIT, codePath: 'src/train.py', python: '3.11.4'}
    expect(namedSource(ctx(meta), 'repo', 'src/train.py')).toEqual({
      source: {git: GIT, entrypoint: ['python3.11', 'src/train.py'], notebook: false},
      name: 'job-https___github.com_o_r.git_src_train.py',
      aliases: [],
    })
    expect(namedSource(ctx(meta, {settings: {name: 'my job!'}}), 'repo', 'src/train.py')?.name).toBe('my job!')
    expect(namedSource(ctx(meta, {settings: {name: ''}}), 'repo', 'src/train.py')?.name).toBe('')
  })

  test('image: a tag that looks like one becomes an alias and leaves the name; a registry port does not', () => {
    expect(namedSource(ctx({docker: 'repo/img:1.2-rc_3'}), 'image', undefined)).toEqual({source: {image: 'repo/img:1.2-rc_3'}, name: 'job-repo_img', aliases: ['1.2-rc_3']})
    expect(namedSource(ctx({docker: 'localhost:5000/img'}), 'image', undefined)).toEqual({source: {image: 'localhost:5000/img'}, name: 'job-localhost_5000_img', aliases: []})
  })

  test('artifact: the code artifact id and name', () => {
    const c = ctx({codePath: 'x/train.py', codePathLocal: 'train.py', python: '3.10.1'}, {codeArtifact: {id: 'ID1', name: 'source-p-train.py'}})
    expect(programRelpath(c, 'artifact')).toBe('train.py')
    expect(programRelpath(c, 'repo')).toBe('x/train.py')
    expect(namedSource(c, 'artifact', 'train.py')).toEqual({
      source: {artifact: 'wandb-artifact://_id/ID1', entrypoint: ['python3.10', 'train.py'], notebook: false},
      name: 'job-source-p-train.py',
      aliases: [],
    })
  })

  test('no program path for a repo job is an error', () => {
    expect(() => namedSource(ctx({git: GIT, python: '3.11'}), 'repo', undefined)).toThrow(/no program path/)
  })
})

describe('entrypoint and notebook paths', () => {
  test('python<major.minor>; a partial job keeps its entrypoint; no python is an error', () => {
    expect(entrypoint('t.py', {python: 'CPython 3.11.7'})).toEqual(['pythonCPython 3.11', 't.py'])
    expect(entrypoint('t.py', {partial: 'v0', entrypoint: ['bash', 'run.sh']})).toEqual(['bash', 'run.sh'])
    expect(() => entrypoint('t.py', {})).toThrow(JobBuildError)
  })

  test('pathFromRoot: the notebook folder relative to the root, leading .. steps dropped', () => {
    expect(pathFromRoot('nb.ipynb', '/repo', '/repo/notebooks')).toBe('notebooks/nb.ipynb')
    expect(pathFromRoot('../a/b/nb.ipynb', '/repo', '/repo')).toBe('b/nb.ipynb')
    expect(() => pathFromRoot('nb.ipynb', 'relative', '/abs')).toThrow(JobBuildError)
    expect(() => pathFromRoot('../../nb', '/repo', '/repo')).toThrow(/leaves the repository root/)
  })
})

describe('parseRunMetadata', () => {
  test('the fields the builder reads; keys match case-insensitively after the exact name', () => {
    expect(parseRunMetadata('{"git":{"remote":"r","commit":"c"},"python":"3.11","CODEPATH":"t.py","codePathLocal":"l.py","docker":null,"gpu":"x"}')).toEqual({
      sourceType: undefined,
      partial: undefined,
      root: undefined,
      docker: undefined,
      program: undefined,
      codePathLocal: 'l.py',
      codePath: 't.py',
      python: '3.11',
      git: {remote: 'r', commit: 'c'},
    })
  })

  test('bad JSON, a non-object, fields of the wrong type: JobBuildError', () => {
    expect(() => parseRunMetadata('nope')).toThrow(JobBuildError)
    expect(() => parseRunMetadata('[1]')).toThrow(/JSON object/)
    expect(() => parseRunMetadata('{"python": 3}')).toThrow(/"python" is not a string/)
    expect(() => parseRunMetadata('{"git": "x"}')).toThrow(/"git" is not an object/)
    expect(() => parseRunMetadata('{"entrypoint": [1]}')).toThrow(/list of strings/)
  })
})
