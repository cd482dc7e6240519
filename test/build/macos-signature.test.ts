/**
 * The macOS binaries must carry valid ad-hoc code signatures: Bun leaves a stale signature on the
 * darwin-x64 output, which macOS would kill on start. scripts/build.ts re-signs both; here every
 * page hash is recomputed (our verifier) and checked again with rcodesign (an independent tool).
 */
import {describe, expect, test} from 'bun:test'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {homedir, tmpdir} from 'node:os'
import {join} from 'node:path'
import {verifyMachOSignature} from '../../scripts/macho-sign.ts'
import {DIST, run} from '../helpers/binary.ts'

const CS_ADHOC = 0x2

function rcodesign(): string {
  for (const p of [join(homedir(), '.cargo', 'bin', 'rcodesign'), '/usr/local/bin/rcodesign']) if (existsSync(p)) return p
  throw new Error('rcodesign is needed to cross-check signatures: cargo install apple-codesign --locked')
}

/** rcodesign's verdict, minus its banner and the CMS complaint it makes about every ad-hoc signature. */
async function rcodesignProblems(path: string): Promise<string[]> {
  const r = await run([rcodesign(), 'verify', path])
  return (r.stdout + r.stderr)
    .split('\n')
    .map((l) => l.replace(/\(the verify command is known to be buggy.*?removed\)/, '').trim())
    .filter((l) => l && !l.startsWith('CMS error') && l !== 'Error: problems reported during verification')
}

describe('macOS code signatures', () => {
  for (const name of ['nexus-darwin-x64', 'nexus-darwin-arm64']) {
    test(`${name} has a fresh ad-hoc signature over every page`, async () => {
      const buf = readFileSync(join(DIST, name))
      const report = verifyMachOSignature(buf)
      expect(report.identifier).toBe('nexus')
      expect(report.flags & CS_ADHOC).toBe(CS_ADHOC)
      expect(report.pages).toBeGreaterThan(20_000)
      expect(report.badPages).toBe(0)
      expect(report.requirementsHashOk).toBe(true)
      expect(report.trailingBytes).toBe(0)
      expect(await rcodesignProblems(join(DIST, name))).toEqual([])
    })
  }

  test('a single changed byte is caught by both verifiers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sig-'))
    try {
      const buf = readFileSync(join(DIST, 'nexus-darwin-x64'))
      buf[5_000_000] ^= 0x01
      const path = join(dir, 'tampered')
      writeFileSync(path, buf)
      expect(verifyMachOSignature(buf).badPages).toBe(1)
      const problems = await rcodesignProblems(path)
      expect(problems.some((p) => p.includes('code digest mismatch'))).toBe(true)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
