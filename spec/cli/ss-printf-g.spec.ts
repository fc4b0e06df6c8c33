/**
 * printfG against C's printf: the expected strings are what printf(1) —
 * the C library's %g and %.3g — printed for the same numbers.
 */
import { describe, expect, it } from 'vitest';
import { printfG } from '../../lib/cli/ss-printf-g.js';

const CASES: ReadonlyArray<readonly [number, string, string]> = [
  [0.021, '0.021', '0.021'], [0.01, '0.01', '0.01'], [124.83047619, '124.83', '125'], [1234567, '1.23457e+06', '1.23e+06'],
  [204, '204', '204'], [0.0001, '0.0001', '0.0001'], [0.00001234, '1.234e-05', '1.23e-05'], [65482000000, '6.5482e+10', '6.55e+10'],
  [1e21, '1e+21', '1e+21'], [99999.5, '99999.5', '1e+05'], [0.5, '0.5', '0.5'], [3, '3', '3'], [1e-5, '1e-05', '1e-05'],
  [123456, '123456', '1.23e+05'], [0, '0', '0'],
];

describe('printfG', () => {
  it.each(CASES)('%s with %%g and %%.3g', (value, g, g3) => {
    expect(printfG(value)).toBe(g);
    expect(printfG(value, 3)).toBe(g3);
  });
});
