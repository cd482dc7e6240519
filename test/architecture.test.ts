/**
 * The dependency direction of src/: commands → sync → core, sysinfo → core, and core/runtime
 * depends on nothing in the project. Other folders import a sibling folder only through its
 * index.ts. A violation names the file and the import.
 */
import {expect, test} from 'bun:test'
import {readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {Glob} from 'bun'
import {REPO_ROOT} from './helpers/python.ts'

const SRC = join(REPO_ROOT, 'src')
/** top-level folder → folders it may import from */
const ALLOWED: Record<string, string[]> = {
  commands: ['commands', 'sync', 'core', 'sysinfo'],
  sync: ['sync', 'core'],
  sysinfo: ['sysinfo', 'core'],
  core: ['core'],
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1])
}

test('src/ folders import only in the allowed direction', () => {
  const problems: string[] = []
  for (const rel of new Glob('**/*.ts').scanSync(SRC)) {
    const file = join(SRC, rel)
    const top = rel.split('/')[0]
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) continue
      const target = relative(SRC, resolve(dirname(file), spec))
      if (target.startsWith('..')) {
        if (!target.startsWith('../proto/gen') && !target.startsWith('../package.json')) problems.push(`${rel} imports ${spec}`)
        if (target.startsWith('../proto/gen') && rel !== 'core/proto.ts') problems.push(`${rel} imports generated code directly (use core/proto.ts): ${spec}`)
        continue
      }
      const targetTop = target.split('/')[0]
      if (!(ALLOWED[top] ?? [top]).includes(targetTop)) problems.push(`${rel} (${top}) must not import ${target}`)
      if (rel.startsWith('core/runtime/') && !target.startsWith('core/runtime/')) problems.push(`${rel}: core/runtime imports nothing from the project (${target})`)
    }
  }
  expect(problems).toEqual([])
})
