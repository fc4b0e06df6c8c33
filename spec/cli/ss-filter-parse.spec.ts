/**
 * ss's filter language: its grammar (no precedence, left to right,
 * juxtaposition is and), its address and port forms, and its matching rules
 * (IPv4 rules select IPv4-mapped sockets, UNIX name patterns).
 */
import { describe, expect, it } from 'vitest';
import { addressBytes16, matchSsFilter, type SsMatchSocket } from '../../lib/cli/ss-filter-match.js';
import { parseSsFilter, type SsParseContext } from '../../lib/cli/ss-filter-parse.js';

const context: SsParseContext = { preferredFamily: 0, servicePort: (name) => (name === 'ssh' ? 22 : undefined), onFamily: () => {} };
const parse = (...args: string[]) => parseSsFilter(args, context);
const inet = (src: string, srcPort: number, dst: string, dstPort: number, family = src.includes(':') ? 10 : 2): SsMatchSocket => ({
  family, local: addressBytes16(src, family), remote: addressBytes16(dst, family), localPort: srcPort, remotePort: dstPort, ifindex: 0, mark: 0,
});
const match = (socket: SsMatchSocket, ...args: string[]) =>
  matchSsFilter(parse(...args) ?? { kind: 'autobound' }, socket, { deviceIndex: () => 0, ephemeral: (p) => p >= 32768 && p <= 60999 });

describe('parseSsFilter', () => {
  it('groups from the left with no precedence', () => {
    expect(parse('sport', ':1', 'or', 'sport', ':2', 'and', 'dport', ':3')).toMatchObject({
      kind: 'and', left: { kind: 'or' }, right: { kind: 'dst', host: { port: 3 } },
    });
  });

  it('reads ports, service names, prefixes, brackets and words split inside one argument', () => {
    expect(parse('sport = :ssh')).toMatchObject({ kind: 'src', host: { port: 22 } });
    expect(parse('dport', '>', ':1024')).toEqual({ kind: 'not', of: { kind: 'dport<=', port: 1024 } });
    expect(parse('src', '10.0.0.0/8')).toMatchObject({ kind: 'src', host: { port: -1, prefix: { family: 2, bits: 8 } } });
    expect(parse('dst', '[::1]:80')).toMatchObject({ kind: 'dst', host: { port: 80, prefix: { family: 10, bits: 128 } } });
    expect(parse('sport', '=', '0x16')).toMatchObject({ kind: 'src', host: { port: 22 } });
  });

  it('says what ss says about a bad filter', () => {
    expect(() => parse('sport', '=')).toThrow(/^ss: bison bellows \(while parsing filter\): "syntax error!" Sorry\./);
    expect(() => parse('sport', ':nope')).toThrow('Error: "nope" does not look like a port.\nCannot parse dst/src address.');
    expect(() => parse('src', '1.2.3.4.5')).toThrow('Error: an inet prefix is expected rather than "1.2.3.4.5".');
    expect(() => parse('fwmark', 'zz')).toThrow('Cannot parse mark zz.');
  });
});

describe('matchSsFilter', () => {
  it('lets an IPv4 prefix select IPv4-mapped IPv6 sockets, not the other way round', () => {
    expect(match(inet('::ffff:127.0.0.1', 5001, '::ffff:127.0.0.1', 40000), 'src', '127.0.0.0/8')).toBe(true);
    expect(match(inet('::1', 5001, '::1', 40000), 'src', '127.0.0.0/8')).toBe(false);
    expect(match(inet('127.0.0.1', 5001, '127.0.0.1', 40000), 'src', '[::ffff:127.0.0.1]')).toBe(false);
  });

  it('compares ports and negations, autobound by the ephemeral range', () => {
    const socket = inet('10.0.0.1', 40000, '10.0.0.2', 22);
    expect(match(socket, 'dport', '=', ':22', 'and', 'sport', '>', ':1024')).toBe(true);
    expect(match(socket, 'not', 'dst', '10.0.0.0/24')).toBe(false);
    expect(match(socket, 'autobound')).toBe(true);
  });

  it('matches UNIX names by pattern, case-insensitively', () => {
    const unix: SsMatchSocket = { family: 1, local: new Uint8Array(16), remote: new Uint8Array(16), localPort: 5, remotePort: 0, ifindex: 0, mark: 0, name: '/run/Foo.sock' };
    expect(match(unix, 'src', 'unix:/run/f*')).toBe(true);
    expect(match(unix, 'src', 'unix:/tmp/*')).toBe(false);
  });
});
