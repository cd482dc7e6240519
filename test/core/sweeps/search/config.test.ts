/**
 * checkSearchConfig: a config is refused exactly when sweeps 0.2.0 reports schema violations for
 * it (keys outside sweeps' schema aside, which belong to the server), and the error names the
 * key at fault.
 */
import {beforeAll, describe, expect, test} from 'bun:test'
import {SweepSearchError, checkSearchConfig} from '../../../../src/core/sweeps/search/index.ts'
import {ExitCode} from '../../../../src/core/exit-codes.ts'
import {type OracleResult, ok, sweepsOracle, thrown} from './oracle.ts'

const P = {a: {values: [1, 2]}}

/** [what, config, key named by our error (undefined: valid)] */
const CASES: [string, Record<string, unknown>, string | undefined][] = [
  ['a valid grid', {method: 'grid', parameters: P}, undefined],
  [
    'every distribution',
    {
      method: 'random',
      metric: {name: 'loss', goal: 'maximize', target: 0.5, impute: 'best'},
      parameters: {
        a: {values: [1]},
        b: {value: 2},
        c: {min: 1, max: 3},
        d: {min: 0.5, max: 3},
        e: {distribution: 'normal', mu: 1, sigma: 2},
        f: {distribution: 'log_uniform_values', min: 1e-3, max: 1},
        g: {distribution: 'q_uniform', min: 0, max: 10, q: 2},
        h: {distribution: 'beta', a: 2, b: 3},
        i: {distribution: 'q_beta'},
        j: {distribution: 'log_normal'},
        k: {distribution: 'q_log_normal', q: 3},
        l: {distribution: 'inv_log_uniform_values', min: 1, max: 5},
        m: {distribution: 'q_log_uniform_values', min: 1, max: 5, q: 0.5},
        n: {distribution: 'q_normal'},
        o: {values: [1, 2], probabilities: [0.25, 0.75]},
        p: {parameters: {x: {values: [1]}, y: {parameters: {z: {value: 1}}}}},
      },
    },
    undefined,
  ],
  ['hyperband with min_iter', {method: 'bayes', metric: {name: 'l'}, parameters: P, early_terminate: {type: 'hyperband', min_iter: 3, eta: 2}}, undefined],
  ['hyperband with max_iter and s', {method: 'bayes', metric: {name: 'l'}, parameters: P, early_terminate: {type: 'hyperband', max_iter: 27, s: 2}}, undefined],
  ['no method', {parameters: P}, 'method'],
  ['an unknown method', {method: 'hill', parameters: P}, 'method'],
  ['no parameters', {method: 'grid'}, 'parameters'],
  ['empty parameters', {method: 'grid', parameters: {}}, 'parameters'],
  ['a bad parameter name', {method: 'grid', parameters: {'1a': {values: [1]}}}, 'parameters.1a'],
  ['an unknown setting', {method: 'grid', parameters: {lr: {values: [1], bogus: 1}}}, 'parameters.lr'],
  ['mixed int_uniform bounds with int distribution', {method: 'grid', parameters: {lr: {distribution: 'int_uniform', min: 1, max: 2.5}}}, 'parameters.lr'],
  ['min not below max', {method: 'random', parameters: {lr: {min: 0.5, max: 0.1}}}, 'parameters.lr'],
  ['an empty values list', {method: 'grid', parameters: {lr: {values: []}}}, 'parameters.lr'],
  ['probabilities not summing to 1', {method: 'random', parameters: {lr: {values: [1, 2], probabilities: [0.5, 0.6]}}}, 'parameters.lr'],
  ['probabilities of another length', {method: 'random', parameters: {lr: {values: [1, 2], probabilities: [1]}}}, 'parameters.lr'],
  ['a negative sigma', {method: 'random', parameters: {lr: {distribution: 'normal', sigma: -1}}}, 'parameters.lr'],
  ['log_uniform_values with min 0', {method: 'random', parameters: {lr: {distribution: 'log_uniform_values', min: 0, max: 1}}}, 'parameters.lr'],
  ['the deprecated log_uniform', {method: 'random', parameters: {lr: {distribution: 'log_uniform', min: -5, max: 0}}}, 'parameters.lr'],
  ['q of 0', {method: 'random', parameters: {lr: {distribution: 'q_uniform', min: 0, max: 1, q: 0}}}, 'parameters.lr'],
  ['a parameter that is not a mapping', {method: 'grid', parameters: {lr: [1, 2]}}, 'parameters.lr'],
  ['a bad nested parameter', {method: 'grid', parameters: {opt: {parameters: {lr: {values: 3}}}}}, 'parameters.opt.lr'],
  ['a metric without name', {method: 'bayes', parameters: P, metric: {goal: 'minimize'}}, 'metric.name'],
  ['an unknown goal', {method: 'bayes', parameters: P, metric: {name: 'l', goal: 'lower'}}, 'metric.goal'],
  ['an unknown metric key', {method: 'bayes', parameters: P, metric: {name: 'l', weight: 2}}, 'metric.weight'],
  ['early_terminate as a string', {method: 'grid', parameters: P, early_terminate: 'hyperband'}, 'early_terminate'],
  ['hyperband without iterations', {method: 'grid', parameters: P, early_terminate: {type: 'hyperband', eta: 3}}, 'early_terminate'],
  ['hyperband with eta 1', {method: 'grid', parameters: P, early_terminate: {type: 'hyperband', min_iter: 3, eta: 1}}, 'early_terminate.eta'],
  ['hyperband with a float max_iter', {method: 'grid', parameters: P, early_terminate: {type: 'hyperband', max_iter: 2.5, s: 2}}, 'early_terminate.max_iter'],
  ['an unknown early_terminate type', {method: 'grid', parameters: P, early_terminate: {type: 'envelope', min_iter: 3}}, 'early_terminate.type'],
  ['a controller of unknown type', {method: 'grid', parameters: P, controller: {type: 'remote'}}, 'controller'],
  ['a program that is not a string', {method: 'grid', parameters: P, program: 3}, 'program'],
]

describe('checkSearchConfig against sweeps.schema_violations_from_proposed_config', () => {
  let oracle: OracleResult[]
  beforeAll(async () => {
    oracle = await sweepsOracle(CASES.map(([, config]) => ({op: 'violations', config})))
  })
  CASES.forEach(([what, config, key], i) => {
    test(what, () => {
      const violations = 'error' in oracle[i] ? ['raised'] : ok<string[]>(oracle[i])
      if (key === undefined) {
        expect(violations).toEqual([])
        checkSearchConfig(config)
        return
      }
      expect(violations.length).toBeGreaterThan(0)
      const err = thrown(() => checkSearchConfig(config))
      expect(err).toBeInstanceOf(SweepSearchError)
      expect((err as SweepSearchError).key).toBe(key)
      expect((err as SweepSearchError).exitCode).toBe(ExitCode.USAGE)
      expect((err as SweepSearchError).userText).toContain(key.split('.').pop() as string)
    })
  })

  test('every violation is listed at once', () => {
    const err = thrown(() => checkSearchConfig({method: 'nope', parameters: {a: {min: 2, max: 1}}, metric: {}})) as SweepSearchError
    expect(err.problems.length).toBe(3)
    expect(err.userText).toContain('3 problems')
  })

  test('keys of the server (run_cap) and hyperband strict are not refused', () => {
    checkSearchConfig({method: 'random', parameters: P, run_cap: 10, early_terminate: {type: 'hyperband', min_iter: 2, strict: true}})
    expect((thrown(() => checkSearchConfig({method: 'random', parameters: P, early_terminate: {type: 'hyperband', min_iter: 2, strict: 'yes'}})) as SweepSearchError).key).toBe(
      'early_terminate.strict',
    )
  })
})
