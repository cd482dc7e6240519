/**
 * The artifact units inside a run's real pipeline (createStream) against the local backend:
 * log_artifact answers, exit waiting for saves, link_artifact, download_artifact, and offline runs
 * that keep artifact records in the .wandb file instead of sending them.
 */
import {describe, expect, test} from 'bun:test'
import {mkdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {LogLevel, nullLogger} from '../../../src/core/observability/index.ts'
import {Record as PbRecord, Request, Response, Settings, type ArtifactRecord, type ServerResponse} from '../../../src/core/proto.ts'
import {CapturingResponder} from '../../../src/core/server/index.ts'
import {createStream, type Stream} from '../../../src/core/stream/index.ts'
import {TransactionLogReader} from '../../../src/core/txlog/index.ts'
import {artifactTestBed, recordOf} from './helpers.ts'

// streams copy uploads into the cache of WANDB_CACHE_DIR: keep it out of the real home
const {backend, dir} = await artifactTestBed({isolateCache: true})

function openStream(runId: string, o: {offline?: boolean} = {}): Stream {
  const runDir = join(dir.path, `run-${runId}`)
  mkdirSync(join(runDir, 'files'), {recursive: true})
  const settings = Settings.create({
    api_key: {value: backend.apiKey},
    base_url: {value: backend.url},
    entity: {value: 'nexus'},
    project: {value: 'arts'},
    run_id: {value: runId},
    sync_dir: {value: runDir},
    sync_file: {value: join(runDir, `run-${runId}.wandb`)},
    console: {value: 'off'},
    x_disable_stats: {value: true},
    _offline: {value: o.offline ?? false},
    silent: {value: true},
  })
  return createStream(settings, runId, {logger: nullLogger, logLevel: LogLevel.INFO, print: () => {}})
}

const request = (r: Request['request_type']) => PbRecord.create({record_type: {oneofKind: 'request', request: Request.create({request_type: r})}})
async function ask(stream: Stream, record: PbRecord): Promise<ServerResponse> {
  const responder = new CapturingResponder()
  await stream.handle(record, responder)
  return responder.answer
}
function response(answer: ServerResponse): Response['response_type'] {
  const t = answer.server_response_type
  if (t.oneofKind === 'result_communicate' && t.result_communicate.result_type.oneofKind === 'response') return t.result_communicate.result_type.response.response_type
  throw new Error(`not a response: ${JSON.stringify(t)}`)
}

async function startRun(stream: Stream, runId: string): Promise<void> {
  await ask(stream, PbRecord.create({record_type: {oneofKind: 'run', run: {run_id: runId, entity: 'nexus', project: 'arts'} as never}}))
  await ask(stream, request({oneofKind: 'run_start', run_start: {}}))
}

async function artifact(name: string, files: Record<string, string>, runId: string, o: {type?: string} = {}): Promise<ArtifactRecord> {
  for (const [p, data] of Object.entries(files)) dir.file(`src-${name}/${p}`, data)
  return recordOf(join(dir.path, `src-${name}`), {name, staging: join(dir.path, 'staging'), runId, type: o.type})
}

const exitRecord = () => PbRecord.create({record_type: {oneofKind: 'exit', exit: {exit_code: 0, runtime: 0, not_complete: false}}})

describe('log_artifact in an online run', () => {
  test('is answered with the artifact id when the save ends, and exit waits for the save', async () => {
    const stream = openStream('r1')
    await startRun(stream, 'r1')
    await backend.addFault({match: {operation: 'CommitArtifact'}, action: 'delay', delayMs: 300})
    const order: string[] = []
    const logged = ask(
      stream,
      request({oneofKind: 'log_artifact', log_artifact: {artifact: await artifact('data', {'a.txt': 'alpha'}, 'r1'), history_step: 0n, staging_dir: join(dir.path, 'staging')}}),
    ).then((a) => (order.push('log_artifact'), a))
    const exited = ask(stream, exitRecord()).then(() => order.push('exit'))
    const answer = response(await logged)
    await exited
    await stream.close()
    expect(order).toEqual(['log_artifact', 'exit'])
    expect(answer.oneofKind).toBe('log_artifact_response')
    const [art] = await backend.inspectArtifacts()
    expect(art).toMatchObject({name: 'data', state: 'COMMITTED', createdBy: 'r1'})
    expect(answer).toEqual({oneofKind: 'log_artifact_response', log_artifact_response: {artifact_id: expect.any(String), error_message: ''}})
  })

  test('a save the server refuses is answered with its error message', async () => {
    const stream = openStream('r2')
    await startRun(stream, 'r2')
    const first = response(await ask(stream, request({oneofKind: 'log_artifact', log_artifact: {artifact: await artifact('typed', {'a.txt': 'a'}, 'r2'), history_step: 0n, staging_dir: ''}})))
    const second = response(
      await ask(stream, request({oneofKind: 'log_artifact', log_artifact: {artifact: await artifact('typed2', {'b.txt': 'b'}, 'r2', {type: 'model'}), history_step: 0n, staging_dir: ''}})),
    )
    const clash = await artifact('typed3', {'c.txt': 'c'}, 'r2', {type: 'model'})
    clash.name = 'typed'
    const refused = response(await ask(stream, request({oneofKind: 'log_artifact', log_artifact: {artifact: clash, history_step: 0n, staging_dir: ''}})))
    await ask(stream, exitRecord())
    await stream.close()
    expect([first, second].map((r) => (r as {log_artifact_response: {error_message: string}}).log_artifact_response.error_message)).toEqual(['', ''])
    const {artifact_id, error_message} = (refused as {log_artifact_response: {artifact_id: string; error_message: string}}).log_artifact_response
    expect(artifact_id).toBe('')
    expect(error_message).toContain('createArtifact')
    expect(error_message).toContain('has type dataset, not model')
  })
})

describe('link_artifact and download_artifact in an online run', () => {
  test('link answers the portfolio version index; download writes the files; a bad id is answered with an error', async () => {
    const stream = openStream('r3')
    await startRun(stream, 'r3')
    const logged = response(await ask(stream, request({oneofKind: 'log_artifact', log_artifact: {artifact: await artifact('linked', {'x/y.txt': 'why'}, 'r3'), history_step: 0n, staging_dir: ''}})))
    const id = (logged as {log_artifact_response: {artifact_id: string}}).log_artifact_response.artifact_id
    const link = (serverId: string) =>
      ask(
        stream,
        request({
          oneofKind: 'link_artifact',
          link_artifact: {
            client_id: '',
            server_id: serverId,
            portfolio_name: 'portfolio',
            portfolio_entity: 'nexus',
            portfolio_project: 'arts',
            portfolio_aliases: ['prod'],
            portfolio_organization: '',
          },
        }),
      )
    expect(response(await link(id))).toEqual({oneofKind: 'link_artifact_response', link_artifact_response: {error_message: '', version_index: 0}})
    const bad = (response(await link(Buffer.from('Artifact:999').toString('base64'))) as {link_artifact_response: {error_message: string}}).link_artifact_response
    expect(bad.error_message).toContain('not found')
    expect(bad).not.toHaveProperty('version_index')
    const root = join(dir.path, 'downloaded')
    const downloaded = response(
      await ask(stream, request({oneofKind: 'download_artifact', download_artifact: {artifact_id: id, download_root: root, allow_missing_references: false, skip_cache: true, path_prefix: ''}})),
    )
    await ask(stream, exitRecord())
    await stream.close()
    expect(downloaded).toEqual({oneofKind: 'download_artifact_response', download_artifact_response: {error_message: ''}})
    expect(readFileSync(join(root, 'x', 'y.txt'), 'utf8')).toBe('why')
    expect((await backend.inspectArtifacts())[0].links).toEqual(['nexus/arts/portfolio:v0'])
  })
})

describe('artifacts in an offline run', () => {
  test('an artifact record is kept in the .wandb file and not sent; artifact requests are answered with an error', async () => {
    const stream = openStream('off1', {offline: true})
    await startRun(stream, 'off1')
    const record = await artifact('offline-data', {'a.txt': 'offline'}, 'off1')
    await stream.handle(PbRecord.create({record_type: {oneofKind: 'artifact', artifact: record}}))
    const logged = response(await ask(stream, request({oneofKind: 'log_artifact', log_artifact: {artifact: record, history_step: 0n, staging_dir: ''}})))
    const linked = response(
      await ask(
        stream,
        request({
          oneofKind: 'link_artifact',
          link_artifact: {client_id: 'c', server_id: '', portfolio_name: 'p', portfolio_entity: 'e', portfolio_project: 'p', portfolio_aliases: [], portfolio_organization: ''},
        }),
      ),
    )
    await ask(stream, exitRecord())
    await stream.close()
    expect((logged as {log_artifact_response: {error_message: string}}).log_artifact_response.error_message).toContain('offline mode')
    expect((linked as {link_artifact_response: {error_message: string}}).link_artifact_response.error_message).toContain('offline mode')
    expect(await backend.inspectRequests()).toEqual([])
    const reader = TransactionLogReader.open(join(dir.path, 'run-off1', 'run-off1.wandb'))
    const kinds: string[] = []
    let saved: ArtifactRecord | undefined
    for (let r = reader.next(); r; r = reader.next()) {
      const rec = PbRecord.fromBinary(r.data)
      kinds.push(rec.record_type.oneofKind ?? '')
      if (rec.record_type.oneofKind === 'artifact') saved = rec.record_type.artifact
    }
    reader.close()
    expect(kinds.filter((k) => k === 'artifact' || k === 'request' || k === 'run' || k === 'exit')).toEqual(['run', 'artifact', 'exit'])
    expect(saved?.manifest?.contents.map((e) => [e.path, e.local_path])).toEqual(record.manifest!.contents.map((e) => [e.path, e.local_path]))
    expect(readFileSync(record.manifest!.contents[0].local_path, 'utf8')).toBe('offline')
  })
})
