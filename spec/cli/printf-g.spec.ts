/** C's %g, as `printf '%g'` prints these numbers. */
import { describe, expect, it } from 'vitest';
import { printfG } from '../../lib/cli/printf-g.js';

describe('printfG', () => {
  it.each([
    [0, '0'], [0.48, '0.48'], [120, '120'], [5.26, '5.26'], [100000, '100000'], [123456.7, '123457'],
    [999999.5, '1e+06'], [1234567, '1.23457e+06'], [0.0001, '0.0001'], [0.00001, '1e-05'], [1.5, '1.5'], [0.01, '0.01'],
  ])('%d is %s', (value, text) => {
    expect(printfG(value)).toBe(text);
  });
});
