/**
 * The operations the SDK shows while run.finish() waits (poll of OperationStatsRequest), with the
 * real wandb 0.31 SDK on Go wandb-core and on nexus against the local backend with injected
 * faults: file_stream answering 503 twice, slow storage for a saved file and for an artifact
 * file, UpsertBucket answering 503 twice. The faults make each operation last seconds, so the
 * SDK's own 0.5 s poll sees it on both cores; the test compares what appears (descriptions,
 * progress totals, error statuses), not sequences.
 */
import {afterAll, describe, expect, test} from 'bun:test'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startBackend} from '../backend/index.ts'
import {runScenario, type CoreKind} from './harness.ts'

/** Retry waits of 1–2 s, so that each injected 503 costs about a second and a half. */
const FAST_RETRIES: Record<string, string> = {
  WANDB__GRAPHQL_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__GRAPHQL_RETRY_WAIT_MAX_SECONDS: '2',
  WANDB__FILE_STREAM_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__FILE_STREAM_RETRY_WAIT_MAX_SECONDS: '2',
  WANDB__FILE_TRANSFER_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__FILE_TRANSFER_RETRY_WAIT_MAX_SECONDS: '2',
}

const INJECTED_503 = 'retrying HTTP 503: injected fault: HTTP 503'

/**
 * Records every OperationStats the SDK's progress printer receives (init and finish), logs a few
 * steps, saves a 300 KiB file at the end, logs an artifact, changes the config, adds the
 * UpsertBucket fault right before finish (the init's upsert must pass), and writes what it saw.
 */
const SCRIPT = String.raw`
import json, os, sys, urllib.request
import wandb
from google.protobuf.json_format import MessageToDict
from wandb.sdk.lib import progress

seen = []
_update = progress.ProgressPrinter.update
def update(self, stats):
    for s in (stats if isinstance(stats, list) else [stats]):
        seen.append(MessageToDict(s, preserving_proto_field_name=True))
    return _update(self, stats)
progress.ProgressPrinter.update = update

def add_fault(rule):
    req = urllib.request.Request(os.environ["WANDB_BASE_URL"] + "/_inspect/faults", data=json.dumps(rule).encode(),
                                 headers={"content-type": "application/json"}, method="POST")
    urllib.request.urlopen(req).read()

run = wandb.init(project=os.environ["E2E_PROJECT"], id=os.environ["E2E_RUN_ID"],
                 settings=wandb.Settings(x_disable_stats=True, x_file_stream_transmit_interval=120))
for i in range(5):
    run.log({"x": i})
with open(os.path.join(run.dir, "slow.bin"), "wb") as f:
    f.write(b"\1" * (300 * 1024))
run.save(os.path.join(run.dir, "slow.bin"), base_path=run.dir, policy="end")
art_dir = os.path.join(os.environ["HOME"], "art")
os.makedirs(art_dir, exist_ok=True)
with open(os.path.join(art_dir, "slow-art.bin"), "wb") as f:
    f.write(b"\2" * (200 * 1024))
art = wandb.Artifact("ops-art", "dataset")
art.add_file(os.path.join(art_dir, "slow-art.bin"))
run.log_artifact(art)
run.config.update({"late": 1})
add_fault({"match": {"operation": "UpsertBucket"}, "action": "status", "status": 503, "times": 2})
run.finish()
with open(sys.argv[1], "w") as f:
    json.dump(seen, f)
`

interface SeenOp {
  desc: string
  progress: string
  error_status: string
  depth: number
}

interface Observed {
  ops: SeenOp[]
  faulted: number
}

type PbOp = {desc?: string; progress?: string; error_status?: string; subtasks?: PbOp[]}

function flatten(stats: Array<{operations?: PbOp[]}>): SeenOp[] {
  const out: SeenOp[] = []
  const walk = (ops: PbOp[] | undefined, depth: number) => {
    for (const o of ops ?? []) {
      out.push({desc: o.desc ?? '', progress: o.progress ?? '', error_status: o.error_status ?? '', depth})
      walk(o.subtasks, depth + 1)
    }
  }
  for (const s of stats) walk(s.operations, 0)
  return out
}

const work = mkdtempSync(join(tmpdir(), 'e2e-operations-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

async function observe(core: CoreKind): Promise<Observed> {
  const backend = await startBackend({quiet: true})
  try {
    // The first file_stream request (the first data) passes; the next one is the finish's.
    await backend.addFault({match: {path: '/files/'}, action: 'status', status: 503, after: 1, times: 2})
    await backend.addFault({match: {path: '^/_storage/runs/.*/slow\\.bin$', method: 'PUT'}, action: 'delay', delayMs: 2500})
    await backend.addFault({match: {path: '^/_storage/blobs/', method: 'PUT'}, action: 'delay', delayMs: 3000})
    const script = join(work, `ops_${core}.py`)
    const out = join(work, `ops_${core}.json`)
    writeFileSync(script, SCRIPT)
    const run = await runScenario('operations', {core, backend, runId: `ops${core.replace(/\W/g, '')}`, script, args: [out], env: FAST_RETRIES})
    expect(run.code, `${core}: ${run.stderr.slice(-3000)}`).toBe(0)
    const runs = await backend.inspectRuns()
    expect(runs.length).toBe(1)
    expect(runs[0].history?.length ?? 0).toBe(5)
    return {ops: flatten(JSON.parse(readFileSync(out, 'utf8'))), faulted: (await backend.inspectRequests()).filter((r) => r.fault).length}
  } finally {
    await backend.stop()
  }
}

/** What Go core can name a file_stream request (filestreamimpl.go trackUploadOperation). */
const FILE_STREAM_DESC = /^uploading (data|(history steps \d+-\d+|summary|console lines \d+-\d+)(, (history steps \d+-\d+|summary|console lines \d+-\d+))*)$/

/** Every description Go core 0.31 may show in this scenario. */
function inGoVocabulary(op: SeenOp): boolean {
  if (op.depth === 0) {
    return FILE_STREAM_DESC.test(op.desc) || op.desc === 'updating run metadata' || op.desc === 'uploading artifact ops-art' || /^uploading [\w./-]+$/.test(op.desc)
  }
  return op.desc === 'slow-art.bin' || /^slow-art\.bin \(\d+\/\d+\)$/.test(op.desc)
}

function expectFaultOperations(core: CoreKind, o: Observed): void {
  const where = `${core} saw ${JSON.stringify(o.ops.filter((op, i, all) => all.findIndex((x) => JSON.stringify(x) === JSON.stringify(op)) === i))}`
  expect(o.faulted, where).toBeGreaterThanOrEqual(4)
  expect(
    o.ops.some((op) => op.depth === 0 && FILE_STREAM_DESC.test(op.desc) && op.error_status === INJECTED_503),
    where,
  ).toBe(true)
  expect(
    o.ops.some((op) => op.desc === 'updating run metadata' && op.error_status === INJECTED_503),
    where,
  ).toBe(true)
  const saved = o.ops.filter((op) => op.desc === 'uploading slow.bin')
  expect(saved.length, where).toBeGreaterThan(0)
  for (const op of saved) expect(op.progress, where).toMatch(/^\d+(\.\d+)?(B|KB)\/300\.0KB$/)
  expect(
    o.ops.some((op) => op.depth === 0 && op.desc === 'uploading artifact ops-art'),
    where,
  ).toBe(true)
  expect(
    o.ops.some((op) => op.depth === 1 && op.desc === 'slow-art.bin'),
    where,
  ).toBe(true)
}

describe('operations while finishing, Go core vs nexus', () => {
  test('the same operations, texts and retry statuses appear on both cores', async () => {
    const go = await observe('go')
    const nexus = await observe('nexus')
    expectFaultOperations('go', go)
    expectFaultOperations('nexus', nexus)
    // nothing Go would never show (nexus once had "finishing run", "setting up run …")
    expect(go.ops.filter((op) => !inGoVocabulary(op))).toEqual([])
    expect(nexus.ops.filter((op) => !inGoVocabulary(op))).toEqual([])
    const statuses = (o: Observed) => [...new Set(o.ops.map((op) => op.error_status).filter((s) => s !== ''))].sort()
    expect(statuses(nexus)).toEqual(statuses(go))
    expect(statuses(go)).toEqual([INJECTED_503])
  }, 240_000)
})
