/**
 * Python's `str(v)` of a parameter value, as wandb's agent writes it into `--name=value` flags and
 * its "Agent starting run with config" lines: True/False/None, float repr, and containers with
 * their items' repr (`{'x': 1, 'y': [1, 2.5]}`).
 */
import {pyRepr} from '../messages.ts'
import {PyFloat, pyFloatRepr, type PyValue} from '../py-value.ts'

/** `str(v)`. */
export function pyStr(v: PyValue): string {
  return typeof v === 'string' ? v : pyReprValue(v)
}

/** `repr(v)`. */
export function pyReprValue(v: PyValue): string {
  if (v === null) return 'None'
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (typeof v === 'bigint') return v.toString()
  if (v instanceof PyFloat) return pyFloatRepr(v.value)
  if (typeof v === 'string') return pyRepr(v)
  if (Array.isArray(v)) return `[${v.map(pyReprValue).join(', ')}]`
  return `{${[...v].map(([k, x]) => `${pyRepr(k)}: ${pyReprValue(x)}`).join(', ')}}`
}
