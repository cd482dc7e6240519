import {describe, expect, test} from 'bun:test'
import {RunSettings} from '../../src/core/settings/index.ts'
import {Settings} from '../../src/core/proto.ts'
import {systemClock} from '../../src/core/runtime/index.ts'
import {DCGM_PROFILING_UNSUPPORTED, DcgmProfilingNotice, createSystemMonitorFactory, launchRequestsDcgmProfiling} from '../../src/sysinfo/index.ts'
import {hostBinary, run} from '../helpers/binary.ts'
import {RecordingLogger} from './fakes.ts'

describe('--enable-dcgm-profiling', () => {
  test('is requested by the launch flag or by WANDB_ENABLE_DCGM_PROFILING as the SDK reads it', () => {
    expect(launchRequestsDcgmProfiling(['--port-filename', 'p', '--enable-dcgm-profiling'], {})).toBe(true)
    expect(launchRequestsDcgmProfiling(['service', '--pid', '1'], {})).toBe(false)
    for (const v of ['true', 'True', '1', 'yes', 'on', 't']) expect(launchRequestsDcgmProfiling([], {WANDB_ENABLE_DCGM_PROFILING: v})).toBe(true)
    for (const v of ['false', '0', '', 'maybe']) expect(launchRequestsDcgmProfiling([], {WANDB_ENABLE_DCGM_PROFILING: v})).toBe(false)
  })

  test('the notice warns once per log, and never when profiling was not requested', () => {
    const a = new RecordingLogger()
    const b = new RecordingLogger()
    const notice = new DcgmProfilingNotice(true)
    notice.warn(a)
    notice.warn(a)
    notice.warn(b)
    expect(a.at('warn')).toEqual([DCGM_PROFILING_UNSUPPORTED])
    expect(b.at('warn')).toEqual([DCGM_PROFILING_UNSUPPORTED])
    const quiet = new RecordingLogger()
    new DcgmProfilingNotice(false).warn(quiet)
    expect(quiet.lines).toEqual([])
  })

  test("the monitor factory warns in each run's log when the service was asked for DCGM profiling", async () => {
    const build = (dcgmProfiling: boolean, logger: RecordingLogger) =>
      createSystemMonitorFactory({dcgmProfiling})({
        settings: new RunSettings(Settings.create({x_disable_stats: {value: true}})),
        emit: () => {},
        logger,
        clock: systemClock,
        writerId: 'w',
        git: () => undefined,
      })
    const asked = new RecordingLogger()
    await build(true, asked).finish()
    expect(asked.find('warn', 'sysinfo: DCGM profiling metrics are not supported by nexus')).toHaveLength(1)
    const notAsked = new RecordingLogger()
    await build(false, notAsked).finish()
    expect(notAsked.find('warn', 'sysinfo: DCGM')).toEqual([])
  })

  test('nexus service --help says the flag is accepted but not supported', async () => {
    const r = await run([hostBinary(), 'service', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('nexus does not collect DCGM profiling metrics')
  })
})
