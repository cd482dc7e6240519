/** Which `wandb-core leet …` calls nexus serves itself, read with Go's flag rules. */
import {describe, expect, test} from 'bun:test'
import {parseGoDuration, planLeet} from '../../../src/core/leet/inspect-args.ts'
import {routeArgv} from '../../../src/commands/argv.ts'

describe('planLeet', () => {
  test('summaries in any Go flag spelling are served by nexus', () => {
    for (const args of [
      ['inspect', '--summary', 'dir'],
      ['inspect', '-summary', '--json', '--no-observability', 'dir'],
      ['inspect', '-summary=true', '-log-level=-4', '--base-url', 'https://api.wandb.ai', '--', 'dir'],
      ['inspect', '--summary', '--run-file', 'x.wandb'],
    ]) {
      const plan = planLeet(args)
      expect(plan.kind).toBe('summary')
    }
    const plan = planLeet(['inspect', '--summary', '--json', '--run-file=f.wandb', 'd'])
    expect(plan).toEqual({kind: 'summary', options: {summary: true, json: true, follow: false, idleTimeoutS: 600, runFile: 'f.wandb', wandbDir: 'd'}})
  })

  test("everything else goes to the original core; usage problems carry Go's message", () => {
    expect(planLeet([]).kind).toBe('delegate')
    for (const cmd of [
      ['run', 'd'],
      ['symon'],
      ['config'],
      ['-h'],
      ['inspect', 'd'],
      ['inspect', '--json', 'd'],
      ['inspect', '-h'],
      ['inspect', '--bogus', 'd'],
      ['inspect', '--summary=maybe', 'd'],
    ]) {
      expect(planLeet(cmd).kind).toBe('delegate')
    }
    expect(planLeet(['inspect', '--summary', '--follow', 'd'])).toMatchObject({usageError: '--summary cannot be used with --follow'})
    expect(planLeet(['inspect', '--summary'])).toMatchObject({usageError: 'wandb directory path or --run-file required'})
    expect(planLeet(['inspect', '--summary', 'd', '--json'])).toMatchObject({usageError: 'unexpected argument "--json"'})
    expect(planLeet(['inspect', '--summary', '--idle-timeout', '-1s', 'd'])).toMatchObject({usageError: '--idle-timeout must be >= 0'})
  })

  test('Go durations', () => {
    expect(parseGoDuration('10m')).toBe(600)
    expect(parseGoDuration('1h2m3.5s')).toBe(3723.5)
    expect(parseGoDuration('0')).toBe(0)
    expect(parseGoDuration('-5s')).toBe(-5)
    for (const bad of ['', '5', 'm', '5x', '1s2']) expect(parseGoDuration(bad)).toBeUndefined()
  })
})

describe('routeArgv for leet', () => {
  test('wandb-core leet … and nexus leet <not inspect> skip oclif; nexus leet inspect is an oclif command', () => {
    expect(routeArgv(['leet', 'inspect', '--summary', 'd'], '/x/wandb-core')).toEqual({kind: 'leet', argv: ['inspect', '--summary', 'd']})
    expect(routeArgv(['leet'], '/x/wandb-core')).toEqual({kind: 'leet', argv: []})
    expect(routeArgv(['leet', 'symon'], '/x/nexus')).toEqual({kind: 'leet', argv: ['symon']})
    expect(routeArgv(['leet', 'inspect', '--summary', 'd'], '/x/nexus')).toEqual({kind: 'run', argv: ['leet', 'inspect', '--summary', 'd']})
  })
})
