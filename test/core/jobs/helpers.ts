/** Shared by the job tests: a run files directory with the files the builder reads. */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import type {JobSettings} from '../../../src/core/jobs/index.ts'

export interface FilesDir {
  path: string
  write(name: string, text: string): void
  settings(o?: Partial<JobSettings>): JobSettings
  dispose(): void
}

/** A fresh files directory; `write` creates parent folders. */
export function filesDir(): FilesDir {
  const path = mkdtempSync(join(tmpdir(), 'nexus-jobs-'))
  return {
    path,
    write(name, text) {
      mkdirSync(dirname(join(path, name)), {recursive: true})
      writeFileSync(join(path, name), text)
    },
    settings: (o = {}) => ({disabled: false, source: '', name: undefined, notebook: false, jupyterRoot: undefined, colab: false, filesDir: path, ...o}),
    dispose: () => rmSync(path, {recursive: true, force: true}),
  }
}

export const REPO_METADATA = JSON.stringify({git: {remote: 'https://github.com/o/r.git', commit: 'c0ffee'}, codePath: 'train.py', codePathLocal: 'train.py', python: '3.11.7', gpu: 'none'})
