/**
 * Compiles a directory of our .proto files with protoc and compares the result with the wandb SDK's
 * descriptors (test/proto/compare_descriptors.py), for the descriptor compatibility tests.
 */
import {cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {REPO_ROOT, runPython} from '../helpers/python.ts'

/** One difference between the SDK's schema and ours. */
export interface SchemaMismatch {
  /** Fully qualified element, e.g. "wandb_internal.HistoryRecord.step". */
  where: string
  /** What differs, e.g. "field number" or "field 1 type". */
  what: string
  sdk: unknown
  ours: unknown
}

/** The comparison's report. */
export interface SchemaComparison {
  sdk_version: string
  compared: {files: number; messages: number; enums: number; fields: number; enum_values: number}
  mismatches: SchemaMismatch[]
}

/** Environment for the Python helpers here: no __pycache__ left in test/proto. */
export const NO_PYCACHE = {PYTHONDONTWRITEBYTECODE: '1'}

/** Our schema sources. */
export const PROTO_DIR = join(REPO_ROOT, 'proto')

/** One line per mismatch, for failure messages. */
export function formatMismatch(m: SchemaMismatch): string {
  return `${m.where}: ${m.what} (sdk: ${JSON.stringify(m.sdk)}, ours: ${JSON.stringify(m.ours)})`
}

async function run(cmd: string[], cwd: string): Promise<string> {
  const proc = Bun.spawn(cmd, {cwd, stdout: 'pipe', stderr: 'pipe'})
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  if (code !== 0) throw new Error(`${cmd.join(' ')} exited ${code}:\n${stderr}`)
  return stdout
}

/** Compiles every .proto in protoDir (with imports) into a descriptor set at outFile. */
export async function compileDescriptorSet(protoDir: string, outFile: string): Promise<void> {
  const files = readdirSync(protoDir)
    .filter((f) => f.endsWith('.proto'))
    .sort()
  await run(['protoc', '-I', '.', '--include_imports', `--descriptor_set_out=${outFile}`, ...files], protoDir)
}

/** Compiles protoDir and compares it with the SDK's descriptors. */
export async function compareWithSdk(protoDir: string): Promise<SchemaComparison> {
  const work = mkdtempSync(join(tmpdir(), 'proto-compat-'))
  try {
    const set = join(work, 'ours.pb')
    await compileDescriptorSet(protoDir, set)
    const result = await runPython([join(import.meta.dir, 'compare_descriptors.py'), set], {timeoutMs: 60_000, env: NO_PYCACHE})
    if (result.code !== 0) throw new Error(`compare_descriptors.py exited ${result.code}:\n${result.stderr}`)
    return JSON.parse(result.stdout) as SchemaComparison
  } finally {
    rmSync(work, {recursive: true, force: true})
  }
}

/**
 * Copies proto/ to a fresh temporary directory and, in `file`, replaces `from` by `to` inside the
 * body of `message messageName { ... }` (top-level or nested). Throws unless `from` occurs exactly
 * once there, so an edit of the schema cannot silently turn the mutation into a no-op. Returns the
 * directory; the caller removes it.
 */
export function mutatedProtoCopy(file: string, messageName: string, from: string, to: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'proto-mutant-'))
  cpSync(PROTO_DIR, dir, {recursive: true, filter: (src) => !src.includes(`${PROTO_DIR}/gen`)})
  const path = join(dir, file)
  const text = readFileSync(path, 'utf8')
  const block = new RegExp(`^([ \\t]*)message ${messageName} \\{\\n[\\s\\S]*?^\\1\\}`, 'm').exec(text)
  if (!block) throw new Error(`message ${messageName} not found in ${file}`)
  const body = block[0]
  const occurrences = body.split(from).length - 1
  if (occurrences !== 1) throw new Error(`"${from}" occurs ${occurrences} times in message ${messageName}, not once`)
  writeFileSync(path, text.slice(0, block.index) + body.replace(from, to) + text.slice(block.index + body.length))
  return dir
}
