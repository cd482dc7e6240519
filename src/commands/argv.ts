import {basename} from 'node:path'
import {NEXUS_VERSION, WANDB_PROTOCOL_VERSION} from '../core/version.ts'

/** Flags the wandb SDK passes to wandb-core; seeing one first means "run the service". */
const SERVICE_FLAGS = new Set([
  '--port-filename',
  '--pid',
  '--log-level',
  '--no-observability',
  '--enable-dcgm-profiling',
  '--listen-on-localhost',
  '--detached',
  '--idle-timeout',
  '--os-pid-shutdown',
])

export type Routed =
  | {kind: 'run'; argv: string[]}
  | {kind: 'version'}
  | {kind: 'error'; message: string}
  /** `wandb-core leet …` (and `nexus leet <command>` but inspect): src/commands/leet/core-leet.ts, without oclif. */
  | {kind: 'leet'; argv: string[]}

/**
 * Decides what the raw argv means before oclif sees it:
 * - `--version` / `-v` alone: our version line;
 * - installed as `wandb-core` (or started with a service flag first): the service, as the SDK
 *   launches `wandb-core --port-filename F --pid N ...` with no subcommand;
 * - `leet …` as wandb-core, or `leet <command>` other than inspect: the leet front (it prints
 *   `leet inspect --summary` itself and hands everything else to the original Go core);
 * - anything else: passed to oclif unchanged.
 */
export function routeArgv(args: string[], execPath: string): Routed {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) return {kind: 'version'}
  const self = basename(execPath).replace(/\.exe$/i, '')
  const first = args[0] ?? ''
  const flagName = first.split('=')[0]
  if (self === 'wandb-core') {
    if (first === 'leet') return {kind: 'leet', argv: args.slice(1)}
    if (first === 'service') return {kind: 'run', argv: args}
    return {kind: 'run', argv: ['service', ...args]}
  }
  if (first === 'leet' && args[1] !== 'inspect') return {kind: 'leet', argv: args.slice(1)}
  if (SERVICE_FLAGS.has(flagName)) return {kind: 'run', argv: ['service', ...args]}
  return {kind: 'run', argv: args}
}

/** `nexus --version`: our version, the wandb protocol we speak, and the platform. */
export function versionLine(): string {
  return `nexus/${NEXUS_VERSION} wandb-protocol/${WANDB_PROTOCOL_VERSION} ${process.platform}-${process.arch} bun-${Bun.version}`
}
