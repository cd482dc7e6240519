/**
 * Reading the value of a HistoryItem / SummaryItem / ConfigItem and the shape of the values kept in
 * run-state trees.
 *
 * Values are decoded extended JSON: numbers (NaN and ±Infinity included), strings, booleans, null,
 * arrays and objects. A 64-bit integer from a typed history value that a double cannot hold exactly
 * stays a bigint, so it is written back digit for digit.
 */
import {parseExtendedJson} from '../json/index.ts'
import type {HistoryItem} from '../proto.ts'
import {HistoryItemError} from './errors.ts'
import type {TreePath} from './path-tree.ts'

/** A number as the run-state models see it: a double, or a bigint when an int64 does not fit one. */
export type NumericValue = number | bigint

/** True for the values that summaries aggregate (min/max/mean) and samplers sample. */
export function isNumeric(value: unknown): value is NumericValue {
  return typeof value === 'number' || typeof value === 'bigint'
}

/** A number or bigint as a double (bigints may round); anything else gives undefined. */
export function toDouble(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  return undefined
}

/** An int64 as a plain number when that is exact, else the bigint itself. */
export function fromInt64(value: bigint): NumericValue {
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : value
}

/** The path an item names: `nested_key` when non-empty, else `[key]`; undefined when both are empty. */
export function itemPath(item: {key: string; nested_key: string[]}): TreePath | undefined {
  if (item.nested_key.length > 0) return [...item.nested_key]
  if (item.key !== '') return [item.key]
  return undefined
}

/**
 * The decoded value of a history item: the typed `value` oneof when it is set, else `value_json`.
 * Throws HistoryItemError when the JSON text does not parse.
 */
export function historyItemValue(item: HistoryItem): unknown {
  const typed = item.value
  switch (typed.oneofKind) {
    case 'none':
      return null
    case 'boolean':
      return typed.boolean
    case 'integer':
      return fromInt64(typed.integer)
    case 'number':
      return typed.number
    case 'text':
      return typed.text
    case 'json':
      return parseValueJson(typed.json)
    default:
      return parseValueJson(item.value_json)
  }
}

function parseValueJson(text: string): unknown {
  try {
    return parseExtendedJson(text)
  } catch (err) {
    throw new HistoryItemError(`runstate: history value is not JSON: ${JSON.stringify(text.slice(0, 80))}`, {cause: err})
  }
}
