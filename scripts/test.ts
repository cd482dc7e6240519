/**
 * `bun run test`: the whole suite, as CI runs it.
 *
 * Runs `bun test` over test/ (extra arguments are passed through, e.g. a path filter), streams its
 * output, and ends with the plain line `N passed, N failed` that CI reads (bun's own summary is not
 * recognised there). Exits non-zero when anything failed or bun itself failed.
 *
 * Files run in two worker processes (--parallel=2, the machine has two cores); tests that start the
 * real SDK, the Go core or our binary are slow, so the per-test timeout is generous (bunfig.toml).
 */
const extra = process.argv.slice(2).filter((a) => a !== '--no-build')
const root = `${import.meta.dir}/..`

// The suite smoke-tests dist/ (the compiled binaries), so build them first.
if (!process.argv.includes('--no-build')) {
  const build = Bun.spawn([process.execPath, 'scripts/build.ts'], {cwd: root, stdout: 'inherit', stderr: 'inherit'})
  if ((await build.exited) !== 0) {
    console.log('0 passed, 1 failed')
    process.exit(1)
  }
}

// Real clients (the SDK, Go core, our binary) take seconds per test, not milliseconds.
const args = ['test', '--parallel=2', '--timeout=180000', ...(extra.length > 0 ? extra : ['test/'])]
const proc = Bun.spawn([process.execPath, ...args], {
  cwd: root,
  stdout: 'pipe',
  stderr: 'pipe',
  // Node services that the SDK tests start idle out quickly instead of lingering through the suite.
  env: {NEXUS_SHARED_IDLE: '5', ...process.env, FORCE_COLOR: '0'},
})

let tail = ''
async function pump(stream: ReadableStream<Uint8Array>, out: NodeJS.WriteStream): Promise<void> {
  const decoder = new TextDecoder()
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, {stream: true})
    out.write(text)
    tail = (tail + text).slice(-20_000)
  }
}
await Promise.all([pump(proc.stdout, process.stdout), pump(proc.stderr, process.stderr)])
const code = await proc.exited

const count = (label: string) => {
  const all = [...tail.matchAll(new RegExp(`^\\s*(\\d+) ${label}\\s*$`, 'gm'))]
  return all.length > 0 ? Number(all[all.length - 1][1]) : 0
}
const passed = count('pass')
let failed = count('fail')
if (code !== 0 && failed === 0) failed = 1 // bun failed outside any test (load error, leak at exit)
console.log(`${passed} passed, ${failed} failed`)
process.exitCode = failed > 0 || code !== 0 ? 1 : 0
