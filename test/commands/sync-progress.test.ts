/**
 * `nexus sync` off a terminal (a batch job's log, a pipe): plain lines only, and the progress
 * figures (percent, MB, rate, ETA) of every run in flight every PLAIN_PROGRESS_EVERY_MS, so a
 * long sync is never silent; nothing more after stop().
 */
import {describe, expect, test} from 'bun:test'
import {PLAIN_PROGRESS_EVERY_MS, SyncProgressView} from '../../src/commands/ui/sync-progress.ts'
import type {SyncTarget} from '../../src/sync/index.ts'
import {ManualClock} from '../fakes/manual-clock.ts'

const MB = 1024 * 1024
const target: SyncTarget = {file: '/w/offline-run-1-abc/run-abc.wandb', runDir: '/w/offline-run-1-abc', synced: false, online: false}

describe('sync progress off a terminal', () => {
  test('a progress line every 4 s while a run is in flight, with percent, MB, rate and ETA', async () => {
    const clock = new ManualClock()
    const lines: string[] = []
    const view = new SyncProgressView({total: 1, json: false, print: (l) => lines.push(l), interactive: false, clock})
    view.started(target)
    expect(lines).toEqual(['nexus: started offline-run-1-abc'])
    view.progress(target, {phase: 'uploading', bytesRead: 20 * MB, totalBytes: 80 * MB, records: 10, steps: 5})
    await clock.whenSleeping(1)
    await clock.advance(PLAIN_PROGRESS_EVERY_MS - 1)
    expect(lines).toHaveLength(1)
    await clock.advance(1)
    expect(lines[1]).toBe('nexus: [0/1] offline-run-1-abc uploading 25% 20.0/80.0 MB 5.0 MB/s ETA 12s')
    view.progress(target, {phase: 'uploading', bytesRead: 40 * MB, totalBytes: 80 * MB, records: 20, steps: 10})
    await clock.advance(PLAIN_PROGRESS_EVERY_MS)
    expect(lines[2]).toBe('nexus: [0/1] offline-run-1-abc uploading 50% 40.0/80.0 MB 5.0 MB/s ETA 8s')
    // a report that finds a line due prints it at once, even if the timer has not fired yet
    clock.set(clock.now() + PLAIN_PROGRESS_EVERY_MS)
    view.progress(target, {phase: 'uploading', bytesRead: 60 * MB, totalBytes: 80 * MB, records: 30, steps: 15})
    expect(lines[3]).toBe('nexus: [0/1] offline-run-1-abc uploading 75% 60.0/80.0 MB 5.0 MB/s ETA 4s')
    view.stop()
    await clock.advance(3 * PLAIN_PROGRESS_EVERY_MS)
    expect(lines).toHaveLength(4)
    expect(lines.join('\n')).not.toMatch(/\u001b\[/)
  })

  test('--json prints nothing while it works', async () => {
    const clock = new ManualClock()
    const lines: string[] = []
    const view = new SyncProgressView({total: 1, json: true, print: (l) => lines.push(l), interactive: false, clock})
    view.started(target)
    await clock.advance(2 * PLAIN_PROGRESS_EVERY_MS)
    view.stop()
    expect(lines).toEqual([])
    expect(clock.sleeping).toBe(0)
  })
})
