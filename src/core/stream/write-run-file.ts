import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {LocalFileError} from '../errors.ts'
import type {SenderContext} from './contexts.ts'

/**
 * Writes a run file and uploads it. A write that fails (full disk, read-only directory) is an
 * undelivered outcome of the run, so that neither the SDK's exit nor a sync calls the run complete.
 */
export function writeAndUpload(s: SenderContext, name: string, contents: string): void {
  try {
    writeFileSync(join(s.settings.filesDir, name), contents)
  } catch (err) {
    const error = new LocalFileError(name, err)
    s.logger.captureError(`sender: cannot write ${name}`, error)
    s.backgroundOutcomes.push({status: 'abandoned', error})
    return
  }
  s.runFiles?.uploadNow(name)
}
