/** Random search (sweeps.random_search): each parameter drawn from its distribution, constants kept. */
import {ParameterSet} from './parameter-set.ts'
import type {Rng} from './types.ts'

/** A run config with every parameter sampled once. */
export function randomNextConfig(parameters: Record<string, unknown>, rng: Rng): Record<string, {value: unknown}> {
  const set = ParameterSet.fromConfig(parameters)
  for (const p of set.params) p.value = p.sample(rng)
  return set.toConfig()
}
