/**
 * Command-line prefixes as iproute2 6.1's get_prefix reads them (table-driven,
 * the expectations from ip's own behaviour: `ip route show match WORD`), and
 * inet_addr_match.
 */
import { describe, expect, it } from 'vitest';
import { inetPrefix } from '../../lib/cli/inet-prefix.js';
import { parseInetPrefix, prefixMatches } from '../../lib/route/inet-prefix.js';
import { UsageError } from '../../lib/cli/cli-context.js';
import { AF_INET, AF_INET6, AF_MPLS, AF_PACKET, AF_UNSPEC } from '../../lib/route/constants.js';

describe('parseInetPrefix', () => {
  it.each<[string, number, { family: number; bytes?: number[]; bitlen: number; lengthGiven: boolean } | undefined]>([
    ['10.1.2.3', AF_UNSPEC, { family: AF_INET, bytes: [10, 1, 2, 3], bitlen: 32, lengthGiven: false }],
    // ip's legacy reading: missing parts are zero at the end, not in the middle.
    ['10.8', AF_UNSPEC, { family: AF_INET, bytes: [10, 8, 0, 0], bitlen: 32, lengthGiven: false }],
    ['10.6/16', AF_UNSPEC, { family: AF_INET, bytes: [10, 6, 0, 0], bitlen: 16, lengthGiven: true }],
    ['0x0a.010.0.1', AF_UNSPEC, { family: AF_INET, bytes: [10, 8, 0, 1], bitlen: 32, lengthGiven: false }],
    ['10.0.0.0/255.255.0.0', AF_UNSPEC, { family: AF_INET, bytes: [10, 0, 0, 0], bitlen: 16, lengthGiven: true }],
    ['0/0', AF_UNSPEC, { family: AF_INET, bytes: [0, 0, 0, 0], bitlen: 0, lengthGiven: true }],
    ['2001:db8::/32', AF_UNSPEC, { family: AF_INET6, bitlen: 32, lengthGiven: true }],
    ['default', AF_UNSPEC, { family: AF_UNSPEC, bitlen: 0, lengthGiven: true }],
    ['default', AF_INET6, { family: AF_INET6, bitlen: 0, lengthGiven: true }],
    ['all', AF_UNSPEC, { family: AF_UNSPEC, bitlen: 0, lengthGiven: false }],
    ['16', AF_MPLS, { family: AF_MPLS, bitlen: 20, lengthGiven: false }],
    ['10.0.0.0/99', AF_UNSPEC, undefined],
    ['10.0.0.0/255.0.255.0', AF_UNSPEC, undefined],
    ['default/8', AF_UNSPEC, undefined],
    ['10.0.0.256', AF_UNSPEC, undefined],
    ['10.0.0.0.0', AF_UNSPEC, undefined],
    ['08.0.0.0', AF_UNSPEC, undefined],
    ['frobnicate', AF_UNSPEC, undefined],
    ['10.0.0.0/8', AF_INET6, undefined],
    ['2001:db8::1', AF_INET, undefined],
  ])('%s (family %i)', (text, family, expected) => {
    const prefix = parseInetPrefix(text, family);
    if (expected === undefined) {
      expect(prefix).toBeUndefined();
      return;
    }
    expect(prefix).toMatchObject({ family: expected.family, bitlen: expected.bitlen, lengthGiven: expected.lengthGiven });
    if (expected.bytes) expect([...prefix!.bytes.subarray(0, 4)]).toEqual(expected.bytes);
  });

  it('fails as ip does: its text, exit status 1', () => {
    const failure = (text: string, family: number) => {
      try {
        inetPrefix(text, family);
      } catch (error) {
        return [(error as UsageError).message, (error as UsageError).exitCode];
      }
      return undefined;
    };
    expect(failure('x', AF_UNSPEC)).toEqual(['Error: any valid prefix is expected rather than "x".', 1]);
    expect(failure('10.0.0.0/8', AF_INET6)).toEqual(['Error: inet6 prefix is expected rather than "10.0.0.0/8".', 1]);
    expect(failure('10.0.0.0/8', AF_PACKET))
      .toEqual(['Error: "10.0.0.0/8" may be inet prefix, but it is not allowed in this context.', 1]);
  });
});

describe('prefixMatches', () => {
  it.each<[number[], number[], number, boolean]>([
    [[10, 1, 0, 0], [10, 1, 2, 3], 16, true],
    [[10, 1, 0, 0], [10, 1, 2, 3], 24, false],
    [[10, 1, 0, 0], [10, 1, 127, 3], 17, true],
    [[10, 1, 0, 0], [10, 1, 128, 3], 17, false],
    [[1, 2, 3, 4], [9, 9, 9, 9], 0, true],
  ])('%j vs %j over %i bits: %s', (a, b, bits, expected) => {
    expect(prefixMatches(Uint8Array.from(a), Uint8Array.from(b), bits)).toBe(expected);
  });
});
