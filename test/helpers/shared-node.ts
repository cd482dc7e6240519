/** Finding the shared node services that serve a runtime dir (XDG_RUNTIME_DIR), for tests and the bench. */
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

/** Pids of the node services whose socket is in `<runtime>/nexus`. */
export function nodePids(runtime: string): number[] {
  const dir = join(runtime, 'nexus')
  if (!existsSync(dir)) return []
  const keys = readdirSync(dir)
    .filter((f) => /^n-[0-9a-f]{16}\.sock$/.test(f))
    .map((f) => f.slice(2, 18))
  return keys.flatMap((k) =>
    Bun.spawnSync(['pgrep', '-f', '--', `--shared-node ${k}`])
      .stdout.toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number),
  )
}
