/**
 * C's `%g` (six significant digits, trailing zeros dropped, an exponent
 * beyond 1e-4 … 1e6): how iproute2 prints times in seconds (print_tv), so
 * that nlrx prints the same text and JSON numbers.
 */

/**
 * printfG formats `value` as C's `printf("%g", value)`.
 *
 * @example
 * printfG(0.48);    // '0.48'
 * printfG(1234567); // '1.23457e+06'
 */
export function printfG(value: number): string {
  const trim = (text: string) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  // The exponent %g decides on is that of the value rounded to six digits.
  const [mantissa, exponentText] = value.toExponential(5).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const digits = trim(mantissa);
    const sign = exponent < 0 ? '-' : '+';
    return `${digits}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return trim(value.toFixed(5 - exponent));
}
