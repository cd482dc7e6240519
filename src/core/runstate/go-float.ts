/**
 * Go's shortest float formatting, strconv.FormatFloat(x, 'g', -1, 64): the shortest digits that
 * round-trip, in exponent form (at least two exponent digits: 1e-07, 1.2345675e+06) when the
 * decimal exponent is below -4 or at least 6 (it is the 'g' verb with Go's cut-off for the
 * shortest precision), else in plain decimal. This is how yaml.v3 writes float64 values.
 */

/** `x` formatted like Go's strconv.FormatFloat(x, 'g', -1, 64) (NaN, +Inf, -Inf for the specials). */
export function goFloatString(x: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Number.POSITIVE_INFINITY) return '+Inf'
  if (x === Number.NEGATIVE_INFINITY) return '-Inf'
  if (x === 0) return Object.is(x, -0) ? '-0' : '0'
  const [mantissa, exponentText] = x.toExponential().split('e')
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  return String(x)
}
