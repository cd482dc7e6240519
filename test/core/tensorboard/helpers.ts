/** Shared test helpers: temp dirs, a recording logger, the PyTorch fixture, collecting a sync's records. */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Record} from '../../../src/core/proto.ts'

/** Real tfevents files written by PyTorch's SummaryWriter (tb/run1/…), a copy of shared/fixtures/tensorboard. */
export const FIXTURE_ARCHIVE = join(import.meta.dir, 'fixtures', 'tfevents-torch-summarywriter.tar.gz')

export function tempDir(prefix = 'nexus-tb-'): {path: string; dispose(): void} {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return {path, dispose: () => rmSync(path, {recursive: true, force: true})}
}

/** Unpacks the fixture archive into `dir` (so that `dir/tb/run1` exists). */
export function extractFixture(dir: string): void {
  const tar = Bun.spawnSync(['tar', '-xzf', FIXTURE_ARCHIVE, '-C', dir])
  if (tar.exitCode !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`)
}

export {RecordingLogger, type LogLine} from '../../fakes/recording-logger.ts'

/** A history row as the backend would store it: the items of a partial_history, values decoded. */
export function rowOf(record: Record): {[key: string]: unknown} {
  const t = record.record_type
  if (t.oneofKind !== 'request' || t.request.request_type.oneofKind !== 'partial_history') throw new Error('not a partial_history record')
  const row: {[key: string]: unknown} = {}
  for (const item of t.request.request_type.partial_history.item) {
    const key = item.nested_key.length > 0 ? item.nested_key.join('.') : item.key
    row[key] = JSON.parse(item.value_json)
  }
  return row
}

/** The kind of each record: 'files', 'config' or the request type. */
export function kindOf(record: Record): string {
  const t = record.record_type
  return t.oneofKind === 'request' ? (t.request.request_type.oneofKind ?? 'request') : (t.oneofKind ?? 'none')
}
