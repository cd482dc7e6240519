import {describe, expect, test} from 'bun:test'
import {HistoryItem, MetricRecord, MetricRecord_MetricGoal} from '../../../src/core/proto.ts'
import {MetricHandler, MetricRecordError, RunHistory, RunSummary} from '../../../src/core/runstate/index.ts'
import {metric} from './fixtures/go-cases.ts'

function row(values: Record<string, string>): RunHistory {
  const h = new RunHistory()
  for (const [key, value_json] of Object.entries(values)) h.setFromItem(HistoryItem.create({key, value_json}))
  return h
}

describe('MetricHandler.processRecord', () => {
  test('merges definitions: step_sync and hidden OR-ed, non-empty step_metric replaces, summary flags OR-ed', () => {
    const mh = new MetricHandler()
    mh.processRecord(metric('acc', {step: 'epoch', sync: true, hidden: true, summary: 'min'}))
    mh.processRecord(metric('acc', {summary: 'max'}))
    mh.processRecord(metric('acc', {step: 'batch'}))
    expect(mh.definition('acc')).toMatchObject({stepSync: true, hidden: true, stepMetric: 'batch', summaryFlags: 2 | 4, noSummary: false})
  })

  test('summary "none" is replaced by the next record that has a summary, and best/copy track nothing', () => {
    const mh = new MetricHandler()
    mh.processRecord(metric('x', {summary: 'none'}))
    expect(mh.definition('x')?.noSummary).toBe(true)
    mh.processRecord(metric('x'))
    expect(mh.definition('x')?.noSummary).toBe(true)
    mh.processRecord(metric('x', {summary: 'best,copy'}))
    expect(mh.definition('x')).toMatchObject({noSummary: false, summaryFlags: 0})
  })

  test('_control.overwrite starts over from an empty definition', () => {
    const mh = new MetricHandler()
    mh.processRecord(metric('acc', {step: 'epoch', sync: true, summary: 'min'}))
    mh.processRecord(metric('acc', {summary: 'last', overwrite: true}))
    expect(mh.definition('acc')).toMatchObject({stepSync: false, stepMetric: '', summaryFlags: 1})
  })

  test('the goal is stored and an unset goal keeps the previous one', () => {
    const mh = new MetricHandler()
    mh.processRecord(metric('g', {goal: MetricRecord_MetricGoal.GOAL_MAXIMIZE}))
    mh.processRecord(metric('g', {summary: 'max'}))
    expect(mh.definition('g')?.goal).toBe(MetricRecord_MetricGoal.GOAL_MAXIMIZE)
  })

  test('a record with only step_metric registers the step metric at 0; a record naming nothing is an error', () => {
    const mh = new MetricHandler()
    mh.processRecord(MetricRecord.create({step_metric: 'epoch'}))
    expect(mh.latestStepValue('epoch')).toBe(0)
    expect(mh.exists('epoch')).toBe(false)
    expect(() => mh.processRecord(MetricRecord.create({}))).toThrow(MetricRecordError)
  })
})

describe('glob metrics', () => {
  test('a key matching the text before the * gets the glob definition; the new definition is returned once', () => {
    const mh = new MetricHandler()
    mh.processRecord(metric('val/*', {step: 'epoch', sync: true, summary: 'mean'}))
    const created = mh.updateMetrics(row({'val/loss': '1', other: '2'}))
    expect(created.map((m) => MetricRecord.toJson(m))).toEqual([
      {
        name: 'val/loss',
        stepMetric: 'epoch',
        options: {stepSync: true},
        summary: {mean: true},
        Control: {overwrite: true},
        expandedFromGlob: true,
      },
    ])
    expect(mh.exists('val/loss')).toBe(true)
    expect(mh.updateMetrics(row({'val/loss': '2'}))).toEqual([])
  })

  test('keys starting with "_" and already defined keys never match', () => {
    const mh = new MetricHandler()
    mh.processRecord(metric('*', {summary: 'max'}))
    mh.processRecord(metric('defined', {summary: 'min'}))
    const created = mh.updateMetrics(row({_step: '1', _private: '1', defined: '1', fresh: '1'}))
    expect(created.map((m) => m.name)).toEqual(['fresh'])
    expect(mh.definition('defined')?.summaryFlags).toBe(2)
  })

  test('nested history keys are matched by their labels joined with dots', () => {
    const mh = new MetricHandler()
    mh.processRecord(metric('a.b*', {hidden: true}))
    expect(mh.updateMetrics(row({a: '{"bc":1,"x":2}'})).map((m) => m.name)).toEqual(['a.bc'])
  })

  test('the first matching glob in definition order wins', () => {
    const mh = new MetricHandler()
    mh.processRecord(metric('tr*', {summary: 'min'}))
    mh.processRecord(metric('train/*', {summary: 'max'}))
    mh.updateMetrics(row({'train/x': '1'}))
    expect(mh.definition('train/x')?.summaryFlags).toBe(2)
  })
})

describe('step metrics', () => {
  test('insertStepMetrics adds the latest step value to rows that log a step-synced metric without it', () => {
    const mh = new MetricHandler()
    mh.processRecord(metric('acc', {step: 'epoch', sync: true}))
    mh.processRecord(metric('loss', {step: 'epoch', sync: false}))
    const first = row({acc: '1'})
    mh.updateMetrics(first)
    mh.insertStepMetrics(first)
    expect(first.toNested()).toEqual({acc: 1, epoch: 0})

    const second = row({epoch: '3', acc: '2'})
    mh.updateMetrics(second)
    mh.insertStepMetrics(second)
    expect(second.toNested()).toEqual({epoch: 3, acc: 2})
    expect(mh.latestStepValue('epoch')).toBe(3)

    const third = row({loss: '5'})
    mh.updateMetrics(third)
    mh.insertStepMetrics(third)
    expect(third.toNested()).toEqual({loss: 5})
    const fourth = row({acc: '4'})
    mh.insertStepMetrics(fourth)
    expect(fourth.toNested()).toEqual({acc: 4, epoch: 3})
  })

  test('a dotted step metric is looked up and inserted as a nested path; non-numeric values are not tracked', () => {
    const mh = new MetricHandler()
    mh.processRecord(metric('y', {step: 't.x', sync: true}))
    const a = row({t: '{"x":7}', y: '1'})
    mh.updateMetrics(a)
    const b = row({t: '{"x":"text"}'})
    mh.updateMetrics(b)
    const c = row({y: '2'})
    mh.insertStepMetrics(c)
    expect(c.toNested()).toEqual({y: 2, t: {x: 7}})
  })
})

describe('summary configuration', () => {
  test('updateSummary splits the name on unescaped dots only', () => {
    const mh = new MetricHandler()
    const summary = new RunSummary()
    for (const name of ['a.b', 'c\\.d', 'plain']) {
      mh.processRecord(metric(name, {summary: 'max'}))
      mh.updateSummary(name, summary)
    }
    mh.updateSummary('undefined-metric', summary)
    const h = row({a: '{"b":1}', 'a.b': '2', 'c.d': '3', plain: '4', 'undefined-metric': '5'})
    summary.updateFromHistory(h)
    expect(summary.toNested()).toEqual({a: {b: {max: 1}}, 'a.b': 2, 'c.d': {max: 3}, plain: {max: 4}, 'undefined-metric': 5})
  })
})

describe('_wandb.m encoding', () => {
  test('lists named metrics then globs in definition order, with 1-based step indexes and true-field lists (globs are not "defined")', () => {
    const mh = new MetricHandler()
    mh.processRecord(metric('acc', {step: 'epoch', sync: true, summary: 'max,min'}))
    mh.processRecord(metric('epoch', {hidden: true}))
    mh.processRecord(metric('val/*', {step: 'epoch', summary: 'mean'}))
    mh.processRecord(metric('loss', {goal: MetricRecord_MetricGoal.GOAL_MINIMIZE, step: 'undefined_step'}))
    mh.processRecord(metric('nos', {summary: 'none'}))
    expect(mh.toRunConfigData()).toEqual([
      {'1': 'acc', '5': 2, '6': [1, 3], '7': [1, 2]},
      {'1': 'epoch', '6': [2, 3], '7': []},
      {'1': 'loss', '5': 4, '6': [3], '7': [], '8': 1},
      {'1': 'undefined_step', '6': [], '7': []},
      {'1': 'nos', '6': [3], '7': [6]},
      {'2': 'val/*', '5': 2, '6': [], '7': [3]},
    ])
  })

  test('is an empty list without definitions', () => {
    expect(new MetricHandler().toRunConfigData()).toEqual([])
  })
})
