/**
 * Prefixes as iproute2 reads them (get_prefix_1) and matches them
 * (inet_addr_match, inet_addr_match_rta), table-driven.
 */
import { describe, expect, it } from 'vitest';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../lib/route/constants.js';
import { parseInetPrefix, prefixContains, prefixMatchesText } from '../../lib/route/inet-prefix.js';

describe('parseInetPrefix', () => {
  it.each([
    ['10.0.0.0/8', AF_UNSPEC, { family: AF_INET, bytes: [10, 0, 0, 0], bitlen: 8, lengthGiven: true }],
    ['10.1.0.2', AF_INET, { family: AF_INET, bytes: [10, 1, 0, 2], bitlen: 32, lengthGiven: false }],
    ['10/8', AF_UNSPEC, { family: AF_INET, bytes: [10, 0, 0, 0], bitlen: 8, lengthGiven: true }],
    ['0x0a.1', AF_UNSPEC, { family: AF_INET, bytes: [10, 1, 0, 0], bitlen: 32, lengthGiven: false }],
    ['10.0.0.0/255.255.0.0', AF_UNSPEC, { family: AF_INET, bytes: [10, 0, 0, 0], bitlen: 16, lengthGiven: true }],
    ['2001:db8::/32', AF_UNSPEC, { family: AF_INET6, bytes: [0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], bitlen: 32, lengthGiven: true }],
    ['all', AF_UNSPEC, { family: AF_UNSPEC, bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], bitlen: 0, lengthGiven: false }],
    ['any', AF_INET6, { family: AF_INET6, bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], bitlen: 0, lengthGiven: false }],
    ['default', AF_INET, { family: AF_INET, bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], bitlen: 0, lengthGiven: true }],
  ] as const)('reads %s (family %i)', (text, family, expected) => {
    const prefix = parseInetPrefix(text, family);
    expect(prefix && { ...prefix, bytes: [...prefix.bytes] }).toEqual(expected);
  });

  it.each([
    ['10.0.0.0/33', AF_UNSPEC], ['10.0.0.0/x', AF_UNSPEC], ['256.0.0.0', AF_UNSPEC], ['1.2.3.4.5', AF_UNSPEC],
    ['10.0.0.0/8', AF_INET6], ['2001:db8::/32', AF_INET], ['2001:db8::/129', AF_UNSPEC], ['default/8', AF_INET],
    ['router', AF_UNSPEC], ['', AF_UNSPEC],
  ] as const)('refuses %s (family %i)', (text, family) => {
    expect(parseInetPrefix(text, family)).toBeUndefined();
  });
});

describe('prefixContains / prefixMatchesText', () => {
  const net = (text: string) => parseInetPrefix(text)!;

  it.each([
    ['10.0.0.0/8', '10.255.1.2', true], ['10.0.0.0/8', '11.0.0.0', false], ['10.1.0.2/31', '10.1.0.3', true],
    ['10.1.0.2/31', '10.1.0.4', false], ['10.1.0.0/23', '10.1.1.9', true], ['10.1.0.0/23', '10.1.2.0', false],
    ['2001:db8::/32', '2001:db8:1::5', true], ['2001:db8::/33', '2001:db8:8000::', false],
    ['0.0.0.0/0', '192.0.2.1', true],
  ] as const)('%s contains %s: %s', (prefix, address, expected) => {
    expect(prefixMatchesText(net(prefix), address)).toBe(expected);
  });

  it('matches everything without a family, without a length or without an address, as inet_addr_match_rta', () => {
    expect(prefixMatchesText(net('all'), '10.0.0.1')).toBe(true);
    expect(prefixMatchesText(parseInetPrefix('default', AF_INET)!, '10.0.0.1')).toBe(true);
    expect(prefixMatchesText(net('10.0.0.0/8'), undefined)).toBe(true);
  });

  it('never matches an address of the other family', () => {
    expect(prefixMatchesText(net('10.0.0.0/8'), '2001:db8::1')).toBe(false);
    expect(prefixContains(net('10.0.0.0/8'), Uint8Array.of(10, 9, 9, 9))).toBe(true);
  });
});
