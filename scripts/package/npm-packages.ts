/**
 * npm packages in the pattern of esbuild and Biome: one package per platform holding only its
 * binary (`os`/`cpu` let npm install just the matching one), and a small main package whose
 * `nexus` command finds that binary and runs it. Written as folders, then packed with `npm pack`.
 */
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Platform} from './platforms.ts'

export const MAIN_PACKAGE = 'nexus-wandb'
export const SCOPE = '@nexus-wandb'

/** The platform package folder: package.json and bin/<exe>. */
export function writePlatformPackage(dir: string, p: Platform, version: string, binary: Uint8Array): void {
  mkdirSync(join(dir, 'bin'), {recursive: true})
  writeFileSync(join(dir, 'bin', p.exe), binary)
  chmodSync(join(dir, 'bin', p.exe), 0o755)
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: `${SCOPE}/${p.id}`,
        version,
        description: `The nexus binary for ${p.npmOs} ${p.npmCpu} (installed by ${MAIN_PACKAGE}).`,
        license: 'MIT',
        os: [p.npmOs],
        cpu: [p.npmCpu],
        files: [`bin/${p.exe}`],
        preferUnplugged: true,
      },
      null,
      2,
    )}\n`,
  )
  writeFileSync(join(dir, 'README.md'), `The ${p.id} binary of nexus. Install \`${MAIN_PACKAGE}\` instead: it picks this package for your platform.\n`)
}

/** The main package folder: package.json (platform packages as optional dependencies) and the launcher. */
export function writeMainPackage(dir: string, platforms: readonly Platform[], version: string): void {
  mkdirSync(join(dir, 'bin'), {recursive: true})
  writeFileSync(join(dir, 'bin', 'nexus.js'), LAUNCHER)
  chmodSync(join(dir, 'bin', 'nexus.js'), 0o755)
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: MAIN_PACKAGE,
        version,
        description: 'nexus: a drop-in for wandb-core and a Python-free CLI for W&B (sync, artifacts, sweeps).',
        license: 'MIT',
        bin: {nexus: 'bin/nexus.js'},
        files: ['bin/nexus.js'],
        engines: {node: '>=18'},
        optionalDependencies: Object.fromEntries(platforms.map((p) => [`${SCOPE}/${p.id}`, version])),
      },
      null,
      2,
    )}\n`,
  )
  writeFileSync(
    join(dir, 'README.md'),
    `# ${MAIN_PACKAGE}\n\n\`npm i -g ${MAIN_PACKAGE}\` (or \`npx ${MAIN_PACKAGE} --help\`) gives the \`nexus\` command. The binary comes from the \`${SCOPE}/<os>-<cpu>\` package npm installs for your platform.\n`,
  )
}

/** The `nexus` command of the main package: runs the platform binary with the same arguments, stdio and exit status. */
const LAUNCHER = `#!/usr/bin/env node
'use strict'
const {spawnSync} = require('node:child_process')
const path = require('node:path')

function binary() {
  if (process.env.NEXUS_BINARY) return process.env.NEXUS_BINARY
  const os = process.platform === 'win32' ? 'windows' : process.platform
  const id = os + '-' + process.arch
  const exe = process.platform === 'win32' ? 'nexus.exe' : 'nexus'
  try {
    return require.resolve('${SCOPE}/' + id + '/bin/' + exe)
  } catch {
    process.stderr.write('nexus: no nexus binary for ' + id + ': the package ${SCOPE}/' + id + ' is not installed' +
      ' (npm may have skipped optional dependencies: reinstall without --no-optional / --omit=optional, or set NEXUS_BINARY)\\n')
    process.exit(1)
  }
}

const result = spawnSync(binary(), process.argv.slice(2), {stdio: 'inherit'})
if (result.error) {
  process.stderr.write('nexus: cannot run ' + path.basename(String(result.error.path || 'nexus')) + ': ' + result.error.message + '\\n')
  process.exit(1)
}
if (result.signal) process.kill(process.pid, result.signal)
process.exit(result.status === null ? 1 : result.status)
`
