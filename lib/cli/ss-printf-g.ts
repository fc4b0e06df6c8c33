/**
 * C's `%g` in JavaScript, for output that must equal a C tool's byte for byte
 * (ss prints rtt, rto and rates with `%g` and `%.3g`).
 */

/**
 * printfG formats `value` as C's `%.<precision>g`: `precision` significant
 * digits, exponent form below 1e-4 or from 10^precision on, trailing zeros
 * dropped.
 *
 * @example
 * printfG(0.021); // '0.021'
 * printfG(124.83047619, 3); // '125'
 * printfG(1234567); // '1.23457e+06'
 */
export function printfG(value: number, precision = 6): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const p = precision === 0 ? 1 : precision;
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const exponential = value.toExponential(p - 1);
  const exponent = Number(exponential.slice(exponential.indexOf('e') + 1));
  const strip = (digits: string) => (digits.includes('.') ? digits.replace(/\.?0+$/, '') : digits);
  if (exponent < -4 || exponent >= p) {
    const [mantissa] = exponential.split('e');
    const sign = exponent < 0 ? '-' : '+';
    return `${strip(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return strip(value.toFixed(p - 1 - exponent));
}
