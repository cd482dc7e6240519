/**
 * The `nexus-wandb` wheel of one platform: the binary as a script (pip puts it on PATH as `nexus`),
 * the `nexus_wandb` package with the import hook that makes the wandb SDK start it as wandb-core,
 * and `nexus_wandb.pth`, which installs that hook when Python starts.
 */
import {createHash} from 'node:crypto'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {zipBytes, type ZipEntry} from './zip-writer.ts'

export const WHEEL_NAME = 'nexus_wandb'
const PYTHON_SOURCE = join(import.meta.dir, '..', '..', 'packaging', 'python')

export interface WheelInput {
  version: string
  platformTag: string
  binary: Uint8Array
  /** The binary's name inside the wheel's scripts (nexus or nexus.exe). */
  exe: string
  summary: string
}

/** The wheel's file name and bytes. */
export function buildWheel(w: WheelInput): {fileName: string; bytes: Uint8Array} {
  const dist = `${WHEEL_NAME}-${w.version}`
  const files: ZipEntry[] = []
  for (const name of readdirSync(join(PYTHON_SOURCE, WHEEL_NAME))
    .filter((n) => n.endsWith('.py'))
    .sort()) {
    files.push({name: `${WHEEL_NAME}/${name}`, data: readFileSync(join(PYTHON_SOURCE, WHEEL_NAME, name))})
  }
  files.push({name: `${WHEEL_NAME}.pth`, data: readFileSync(join(PYTHON_SOURCE, `${WHEEL_NAME}.pth`))})
  files.push({name: `${dist}.data/scripts/${w.exe}`, data: w.binary, mode: 0o755})
  const info = `${dist}.dist-info`
  files.push({name: `${info}/METADATA`, data: text(metadata(w))})
  files.push({name: `${info}/WHEEL`, data: text(`Wheel-Version: 1.0\nGenerator: nexus scripts/package\nRoot-Is-Purelib: false\nTag: ${tags(w.platformTag).join('\nTag: ')}\n`)})
  files.push({name: `${info}/top_level.txt`, data: text(`${WHEEL_NAME}\n`)})
  const record = [...files.map((f) => `${f.name},sha256=${digest(f.data)},${f.data.length}`), `${info}/RECORD,,`].join('\n')
  files.push({name: `${info}/RECORD`, data: text(`${record}\n`)})
  return {fileName: `${dist}-py3-none-${w.platformTag}.whl`, bytes: zipBytes(files)}
}

function metadata(w: WheelInput): string {
  return [
    'Metadata-Version: 2.1',
    'Name: nexus-wandb',
    `Version: ${w.version}`,
    `Summary: ${w.summary}`,
    'License: MIT',
    'Requires-Python: >=3.8',
    'Classifier: Programming Language :: Python :: 3',
    '',
    'nexus: a drop-in for wandb-core and a Python-free CLI for W&B (sync, artifacts, sweeps).',
    'Installing it puts `nexus` on PATH and makes the installed wandb SDK (0.31.x) run on nexus;',
    '`pip uninstall nexus-wandb` gives wandb its own core back. NEXUS_WANDB_DISABLE=1 turns the hook off.',
    '',
  ].join('\n')
}

/** A compressed tag set (`a.b` platform tags) as one Tag line per platform. */
function tags(platformTag: string): string[] {
  return platformTag.split('.').map((p) => `py3-none-${p}`)
}

function digest(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64url')
}

function text(s: string): Uint8Array {
  return new TextEncoder().encode(s)
}
