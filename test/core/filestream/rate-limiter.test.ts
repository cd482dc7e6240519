import {expect, test} from 'bun:test'
import {ResponseRateLimiter} from '../../../src/core/filestream/index.ts'
import {ManualClock} from '../../fakes/manual-clock.ts'

const headers = (remaining: number, reset: number) => new Headers({'RateLimit-Remaining': String(remaining), 'RateLimit-Reset': String(reset)})

test('without RateLimit headers the limiter never slows requests down', async () => {
  const clock = new ManualClock()
  const limiter = new ResponseRateLimiter(clock)
  for (let i = 0; i < 10; i++) await limiter.wait()
  expect(clock.sleeping).toBe(0)
  limiter.observe(new Headers({'RateLimit-Remaining': 'lots'}))
  expect(limiter.ratePerSecond).toBe(65536)
})

test('an exhausted quota slows requests to the minimum rate once the burst is spent', async () => {
  const clock = new ManualClock()
  const limiter = new ResponseRateLimiter(clock)
  limiter.observe(headers(0, 10))
  expect(limiter.ratePerSecond).toBe(0.1)
  for (let i = 0; i < 10; i++) await limiter.wait()
  let done = false
  const eleventh = limiter.wait().then(() => (done = true))
  expect(clock.sleeping).toBe(1)
  await clock.advance(9_999)
  expect(done).toBe(false)
  await clock.advance(1)
  await eleventh
  expect(done).toBe(true)
})

test('the rate converges on the quota per second when each request spends one unit', async () => {
  const clock = new ManualClock()
  const limiter = new ResponseRateLimiter(clock)
  let remaining = 600
  for (let i = 0; i < 100; i++) {
    const w = limiter.wait()
    await clock.advance(100)
    await w
    remaining -= 1
    limiter.observe(headers(remaining, 30))
  }
  expect(limiter.ratePerSecond).toBeGreaterThan(15)
  expect(limiter.ratePerSecond).toBeLessThan(18)
})

test('a quota window of a second or less is ignored', () => {
  const limiter = new ResponseRateLimiter(new ManualClock())
  limiter.observe(headers(0, 1))
  expect(limiter.ratePerSecond).toBe(65536)
})
