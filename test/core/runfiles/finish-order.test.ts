/**
 * The end of a run as the sender drives it (service-pipeline §3.7): run files are uploaded and
 * reported to file_stream, the transfers drain, then file_stream finishes with the exit code.
 */
import {afterEach, expect, test} from 'bun:test'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {GraphQLClient, HttpClient, basicAuthorization} from '../../../src/core/api/index.ts'
import {HttpFileStream} from '../../../src/core/filestream/index.ts'
import {FileTransferManager} from '../../../src/core/filetransfer/index.ts'
import {nullLogger} from '../../../src/core/observability/index.ts'
import {FilesItem_FileType, FilesItem_PolicyType} from '../../../src/core/proto.ts'
import {RunFilesUploader} from '../../../src/core/runfiles/index.ts'
import {FakeUploadServer} from '../../fakes/fake-upload-server.ts'
import {ManualClock} from '../../fakes/manual-clock.ts'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

test('uploaded run files are reported in file_stream before complete with the exit code', async () => {
  const s = new FakeUploadServer()
  const dir = mkdtempSync(join(tmpdir(), 'finish-'))
  cleanups.push(
    () => s.stop(),
    () => rmSync(dir, {recursive: true, force: true}),
  )
  const http = new HttpClient({baseUrl: s.url, authorization: () => basicAuthorization('k'.repeat(40)), logger: nullLogger})
  const clock = new ManualClock()
  const fileStream = new HttpFileStream({http, clock})
  const transfers = new FileTransferManager({http})
  const uploader = new RunFilesUploader({
    filesDir: dir,
    entity: () => 'ent',
    project: () => 'proj',
    runId: () => 'run1',
    graphql: new GraphQLClient(http),
    transfers,
    clock,
    onUploaded: (uploaded) => fileStream.streamUpdate({uploaded}),
  })
  fileStream.start({entity: 'ent', project: 'proj', runId: 'run1'})
  fileStream.streamUpdate({history: ['{"_step":0}']})

  writeFileSync(join(dir, 'wandb-summary.json'), '{"loss":0.1}')
  writeFileSync(join(dir, 'config.yaml'), 'lr:\n  value: 0.1\n')
  writeFileSync(join(dir, 'notes.txt'), 'end file')
  uploader.process({files: [{path: 'notes.txt', policy: FilesItem_PolicyType.END, type: FilesItem_FileType.OTHER}]})
  uploader.uploadNow('wandb-summary.json')
  uploader.uploadNow('config.yaml')
  uploader.uploadRemaining()
  const files = await uploader.finish()
  await transfers.close()
  const stream = await fileStream.finishWithExit(0)

  expect(files.allDelivered).toBe(true)
  expect(stream).toEqual({status: 'delivered'})
  const last = s.fileStreamRequests.at(-1)!.body
  expect(last.complete).toBe(true)
  expect(last.exitcode).toBe(0)
  expect([...s.uploadedNames].sort()).toEqual(['config.yaml', 'notes.txt', 'wandb-summary.json'])
  expect(s.files['wandb-history.jsonl']).toEqual(['{"_step":0}'])
  expect(s.stored.size).toBe(3)
})
