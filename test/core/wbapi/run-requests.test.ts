import {afterEach, describe, expect, test} from 'bun:test'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {ApiResponse, ReadRunConsoleLogsRequest} from '../../../src/core/proto.ts'
import {FakeWandbApi, gqlData} from './fake-wandb-api.ts'
import {errorOf, openSession} from './helpers.ts'

let fake: FakeWandbApi
afterEach(() => fake?.stop())

const body = <K extends string>(res: ApiResponse | undefined, kind: K): any => (res?.response.oneofKind === kind ? (res.response as Record<string, unknown>)[kind] : undefined)

describe('run mutations', () => {
  test('stop_run_request sends StopRun with the storage id', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({stopRun: {success: true}})})
    const res = await openSession(fake).call({oneofKind: 'stop_run_request', stop_run_request: {storage_id: 'UnVuOjE='}})
    expect(res?.response.oneofKind).toBe('stop_run_response')
    expect(fake.graphql[0]).toMatchObject({operationName: 'StopRun', variables: {id: 'UnVuOjE='}})
  })

  test("stop_run_request reports the server's refusal with its status", async () => {
    fake = new FakeWandbApi({graphql: () => Response.json({errors: [{message: 'run not found'}]}, {status: 404})})
    const res = await openSession(fake).call({oneofKind: 'stop_run_request', stop_run_request: {storage_id: 'x'}})
    expect(errorOf(res)).toMatchObject({message: 'run not found', http_status: 404})
  })

  test('mark_run_files_uploaded_request sends the files, and nothing when there are none', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({markRunFilesUploaded: {success: true}})})
    const s = openSession(fake)
    const req = {entity: 'e', project: 'p', run_id: 'r', files: ['a.txt', 'media/b.png']}
    expect((await s.call({oneofKind: 'mark_run_files_uploaded_request', mark_run_files_uploaded_request: req}))?.response.oneofKind).toBe('mark_run_files_uploaded_response')
    await s.call({oneofKind: 'mark_run_files_uploaded_request', mark_run_files_uploaded_request: {...req, files: []}})
    expect(fake.graphql).toHaveLength(1)
    expect(fake.graphql[0]).toMatchObject({operationName: 'MarkRunFilesUploaded', variables: {entity: 'e', project: 'p', run: 'r', files: req.files}})
  })

  test('create_custom_chart_request answers the chart id; a null payload is an error', async () => {
    let payload: unknown = {chart: {id: 'chart-1'}}
    fake = new FakeWandbApi({graphql: () => gqlData({createCustomChart: payload})})
    const s = openSession(fake)
    const req = {entity: 'e', name: 'n', display_name: 'N', spec_type: 'vega2', access: 'PRIVATE', spec: '{}'}
    expect(body(await s.call({oneofKind: 'create_custom_chart_request', create_custom_chart_request: req}), 'create_custom_chart_response')).toEqual({chart_id: 'chart-1'})
    expect(fake.graphql[0].variables).toEqual({entity: 'e', chartName: 'n', displayName: 'N', chartType: 'vega2', access: 'PRIVATE', spec: '{}'})
    payload = null
    expect(errorOf(await s.call({oneofKind: 'create_custom_chart_request', create_custom_chart_request: req}))?.message).toBe('failed to create custom chart')
  })
})

describe('run_queue_operation_request', () => {
  test('create_run_queue sends unset optional inputs as null and answers success and id', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({createRunQueue: {success: true, queueID: 'q1'}})})
    const res = await openSession(fake).call({
      oneofKind: 'run_queue_operation_request',
      run_queue_operation_request: {
        operation: {oneofKind: 'create_run_queue_request', create_run_queue_request: {entity: 'e', project: 'p', queue_name: 'q', access: 'PROJECT'}},
      },
    })
    expect(body(res, 'run_queue_operation_response').operation).toEqual({
      oneofKind: 'create_run_queue_response',
      create_run_queue_response: {success: true, queue_id: 'q1'},
    })
    expect(fake.graphql[0].variables).toEqual({
      entity: 'e',
      project: 'p',
      queueName: 'q',
      access: 'PROJECT',
      prioritizationMode: null,
      defaultResourceConfigID: null,
    })
  })

  test('upsert_run_queue answers the schema validation errors', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({upsertRunQueue: {success: false, configSchemaValidationErrors: ['bad field']}})})
    const res = await openSession(fake).call({
      oneofKind: 'run_queue_operation_request',
      run_queue_operation_request: {
        operation: {
          oneofKind: 'upsert_run_queue_request',
          upsert_run_queue_request: {entity_name: 'e', project_name: 'p', queue_name: 'q', resource_type: 'local-process', resource_config: '{}', external_links: '{}'},
        },
      },
    })
    expect(body(res, 'run_queue_operation_response').operation.upsert_run_queue_response).toEqual({success: false, config_schema_validation_errors: ['bad field']})
    expect(fake.graphql[0].variables).toMatchObject({externalLinks: '{}', templateVariables: null, clientMutationId: null})
  })

  test('create_default_resource_config answers the new id; a null payload is an error', async () => {
    let payload: unknown = {defaultResourceConfigID: 'd1', success: true}
    fake = new FakeWandbApi({graphql: () => gqlData({createDefaultResourceConfig: payload})})
    const s = openSession(fake)
    const req = {
      oneofKind: 'run_queue_operation_request' as const,
      run_queue_operation_request: {
        operation: {
          oneofKind: 'create_default_resource_config_request' as const,
          create_default_resource_config_request: {entity_name: 'e', resource: 'kubernetes', config: '{}', template_variables: '{"a":1}'},
        },
      },
    }
    expect(body(await s.call(req), 'run_queue_operation_response').operation.create_default_resource_config_response).toEqual({
      success: true,
      default_resource_config_id: 'd1',
    })
    payload = null
    expect(errorOf(await s.call(req))?.message).toBe('failed to create default resource config')
  })
})

describe('read_run_console_logs_request', () => {
  const logs = (req: Partial<ReadRunConsoleLogsRequest>) => ({
    oneofKind: 'read_run_console_logs_request' as const,
    read_run_console_logs_request: {entity: 'e', project: 'p', run_id: 'r', ...req},
  })
  const line = (n: number) => ({node: {number: n, timestamp: `t${n}`, level: 'INFO', label: '', line: `line ${n}`}})

  test('a tail answers the last lines and the line count, without cursors', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({project: {run: {logLineCount: 10, logLines: {edges: [line(8), line(9)]}}}})})
    const res = body(await openSession(fake).call(logs({last: 2})), 'read_run_console_logs_response')
    expect(res).toEqual({
      lines: [
        {number: 8n, timestamp: 't8', level: 'INFO', label: '', content: 'line 8'},
        {number: 9n, timestamp: 't9', level: 'INFO', label: '', content: 'line 9'},
      ],
      end_cursor: '',
      has_next_page: false,
      total_lines: 10n,
    })
    expect(fake.graphql[0]).toMatchObject({operationName: 'RunConsoleLogTail', variables: {entity: 'e', project: 'p', runName: 'r', last: 2}})
  })

  test('a page reports more lines when the server cut it short', async () => {
    fake = new FakeWandbApi({
      graphql: () => gqlData({project: {run: {logLineCount: 5, logLines: {edges: [line(0), line(1)], pageInfo: {endCursor: 'c1', hasNextPage: false}}}}}),
    })
    const res = body(await openSession(fake).call(logs({first: 2})), 'read_run_console_logs_response')
    expect(res).toMatchObject({end_cursor: 'c1', has_next_page: true, total_lines: 5n})
    expect(fake.graphql[0]).toMatchObject({operationName: 'RunConsoleLogPage', variables: {first: 2, after: null}})
  })

  test('bad combinations are refused without a request', async () => {
    fake = new FakeWandbApi()
    const s = openSession(fake)
    expect(errorOf(await s.call(logs({last: 2, first: 1})))?.message).toBe("cannot combine 'last' with 'first' or 'after'")
    expect(errorOf(await s.call(logs({last: 0})))?.message).toBe("'last' must be positive")
    expect(errorOf(await s.call(logs({first: -1})))?.message).toBe("'first' must be positive")
    expect(fake.to('/graphql')).toHaveLength(0)
  })

  test('a missing run and an old server are explained', async () => {
    let answer = (): Response => gqlData({project: null})
    fake = new FakeWandbApi({graphql: () => answer()})
    const s = openSession(fake)
    expect(errorOf(await s.call(logs({last: 1})))?.message).toBe('run e/p/r not found')
    answer = () => Response.json({errors: [{message: 'Unknown argument "useImprovedPagination" on field "logLines"'}]}, {status: 400})
    const err = errorOf(await s.call(logs({})))
    expect(err?.http_status).toBe(400)
    expect(err?.message).toStartWith("reading a run's console log from the beginning requires W&B server 0.77 or newer")
  })
})

describe('read_run_history_request', () => {
  const history = (request: any) => ({oneofKind: 'read_run_history_request' as const, read_run_history_request: {request}})

  const scanInit = (keys: string[]) => history({oneofKind: 'scan_run_history_init', scan_run_history_init: {entity: 'e', project: 'p', run_id: 'r', keys, use_cache: true}})
  const scan = (request_id: number, min: number, max: number) => history({oneofKind: 'scan_run_history', scan_run_history: {request_id, min_step: BigInt(min), max_step: BigInt(max)}})
  const rowsOf = (res: ApiResponse | undefined) =>
    body(res, 'read_run_history_response').response.run_history.history_rows.map((r: any) => Object.fromEntries(r.history_items.map((i: any) => [i.key, i.value_json])))

  test('a scan reads whole rows page by page, sorted by step, values as the server wrote them', async () => {
    fake = new FakeWandbApi({
      graphql: () => gqlData({project: {run: {history: ['{"_step": 11.0, "loss": NaN, "big": 12345678901234567890}', '{"_step": 10, "loss": 0.5}']}}}),
    })
    const s = openSession(fake)
    const init = body(await s.call(scanInit([])), 'read_run_history_response').response
    expect(init).toEqual({oneofKind: 'scan_run_history_init', scan_run_history_init: {request_id: 1}})
    expect(rowsOf(await s.call(scan(1, 10, 12)))).toEqual([
      {_step: '10', loss: '0.5'},
      {_step: '11', loss: 'NaN', big: '12345678901234567890'},
    ])
    expect(fake.graphql[0]).toMatchObject({operationName: 'HistoryPage', variables: {entity: 'e', project: 'p', run: 'r', minStep: 10, maxStep: 12, pageSize: 2}})
  })

  test('a scan with keys asks for sampled rows holding them, _step included, max step inclusive', async () => {
    fake = new FakeWandbApi({
      graphql: () =>
        gqlData({
          project: {
            run: {
              sampledHistory: [
                [
                  {_step: 3, acc: 0.9},
                  {_step: 2, acc: 0.8},
                ],
              ],
            },
          },
        }),
    })
    const s = openSession(fake)
    await s.call(scanInit(['acc']))
    expect(rowsOf(await s.call(scan(1, 0, 100)))).toEqual([
      {_step: '2', acc: '0.8'},
      {_step: '3', acc: '0.9'},
    ])
    const sent = fake.graphql[0]
    expect(sent.operationName).toBe('SampledHistoryPage')
    expect(JSON.parse(sent.variables!.spec)).toEqual({keys: ['_step', 'acc'], minStep: 0, maxStep: 99, samples: 100})
  })

  test('after cleanup (or before init) a scan is refused; a missing run is an error', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({project: null})})
    const s = openSession(fake)
    expect(errorOf(await s.call(scan(7, 0, 10)))?.message).toBe('Run history scan not initialized.')
    await s.call(scanInit([]))
    expect(errorOf(await s.call(scan(1, 0, 10)))?.message).toBe('no history found for run r')
    const cleanup = await s.call(history({oneofKind: 'scan_run_history_cleanup', scan_run_history_cleanup: {request_id: 1}}))
    expect(body(cleanup, 'read_run_history_response').response.oneofKind).toBe('scan_run_history_cleanup')
    expect(errorOf(await s.call(scan(1, 0, 10)))?.message).toBe('Run history scan not initialized.')
  })

  test('download init, download and status fetch the parquet files into the directory', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'wbapi-history-')), 'exports')
    fake = new FakeWandbApi({
      graphql: (b) => {
        expect(b.variables).toEqual({entity: 'e', project: 'p', runName: 'r', liveKeys: ['_step']})
        return gqlData({project: {run: {parquetHistory: {parquetUrls: [`${fake.url}/files/h0`, `${fake.url}/files/h1`], liveData: [{_step: 7}]}}}})
      },
    })
    fake.stored.set('h0', new TextEncoder().encode('PAR1-zero'))
    fake.stored.set('h1', new TextEncoder().encode('PAR1-one'))
    try {
      const s = openSession(fake)
      const init = body(
        await s.call(
          history({
            oneofKind: 'download_run_history_init',
            download_run_history_init: {entity: 'e', project: 'p', run_id: 'r', download_dir: dir, require_complete_history: false},
          }),
        ),
        'read_run_history_response',
      ).response.download_run_history_init
      expect(init).toEqual({request_id: 1, contains_live_data: true})
      const status = body(await s.call(history({oneofKind: 'download_run_history_status', download_run_history_status: {request_id: 1}})), 'read_run_history_response')
      expect(status.response.oneofKind).toBe('download_run_history_status')
      const done = body(await s.call(history({oneofKind: 'download_run_history', download_run_history: {request_id: 1}})), 'read_run_history_response')
      const result = done.response.download_run_history
      expect(result.errors).toEqual({})
      expect([...result.downloaded_files].sort()).toEqual([join(dir, 'e_p_r_0.runhistory.parquet'), join(dir, 'e_p_r_1.runhistory.parquet')])
      expect(readFileSync(join(dir, 'e_p_r_1.runhistory.parquet'), 'utf8')).toBe('PAR1-one')
      expect(fake.requests.filter((r) => r.path.startsWith('/files/')).every((r) => r.headers.get('authorization') === null)).toBe(true)
      const again = await s.call(history({oneofKind: 'download_run_history', download_run_history: {request_id: 1}}))
      expect(errorOf(again)?.message).toBe('Download operation not found.')
    } finally {
      rmSync(join(dir, '..'), {recursive: true, force: true})
    }
  })

  test('download init refuses runs with unexported rows when complete history is required', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData({project: {run: {parquetHistory: {parquetUrls: [], liveData: [{_step: 1}]}}}})})
    const res = await openSession(fake).call(
      history({
        oneofKind: 'download_run_history_init',
        download_run_history_init: {entity: 'e', project: 'p', run_id: 'r', download_dir: '/nonexistent/never-created', require_complete_history: true},
      }),
    )
    expect(errorOf(res)).toMatchObject({message: 'Run contains data that has not been exported to parquet files yet.', error_type: 1})
  })
})
