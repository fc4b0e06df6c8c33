/**
 * The socket filter's meaning: state names and ss's groups, the request
 * headers a filter needs, normalization (ranges, constants, nesting) and the
 * JavaScript predicate — with the kernel's rules for IPv4-mapped addresses,
 * prefixes and missing marks.
 */
import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../../lib/errors.js';
import {
  filterTerm, matchSocket, socketPredicate, socketRequestHeaders, stateMask, type FilterableSocket, type SocketFilter,
} from '../../lib/sockdiag/socket-filter.js';

const tcp = (fields: Partial<FilterableSocket>): FilterableSocket => ({
  kind: 'inet', family: 2, protocol: 6, state: 1, src: '10.0.0.1', srcPort: 40000, dst: '10.0.0.2', dstPort: 80, ifindex: 0, ...fields,
});

describe('stateMask', () => {
  it('takes numbers, ss names and ss groups', () => {
    expect(stateMask(['established', 'listening'])).toBe((1 << 1) | (1 << 10));
    expect(stateMask([6, 'closed'])).toBe((1 << 6) | (1 << 7));
    expect(stateMask(['all'])).toBe(0xfff);
    // ss's scan_state: connected is all but closed and listening; synchronized also drops syn-sent.
    expect(stateMask(['connected'])).toBe(0xfff & ~((1 << 7) | (1 << 10)));
    expect(stateMask(['synchronized'])).toBe(0xfff & ~((1 << 7) | (1 << 10) | (1 << 2)));
    expect(stateMask(['bucket'])).toBe((1 << 3) | (1 << 6));
    expect(stateMask(['big'])).toBe(0xfff & ~((1 << 3) | (1 << 6)));
    expect(stateMask(undefined)).toBe(0xffff_ffff);
    expect(stateMask([])).toBe(0);
    expect(stateMask([31])).toBe(0x8000_0000);
  });

  it('refuses unknown names and numbers with EINVAL', () => {
    for (const states of [['listen'], [32], [-1], [1.5]] as unknown as SocketFilter['states'][]) {
      expect(() => stateMask(states)).toThrow(NetlinkError);
      try { stateMask(states); } catch (e) { expect((e as NetlinkError).code).toBe('EINVAL'); }
    }
  });
});

describe('socketRequestHeaders', () => {
  it('asks one inet request per family and protocol, the others once', () => {
    expect(socketRequestHeaders({ family: 'inet6', protocol: 'tcp', states: ['listening'] }))
      .toEqual([{ family: 10, protocol: 6, states: 1 << 10 }]);
    const all = socketRequestHeaders();
    expect(all).toHaveLength(2 * 6 + 3);
    expect(all.filter((h) => h.family === 2).map((h) => h.protocol)).toEqual([6, 17, 136, 255, 132, 262]);
    expect(all.filter((h) => h.family !== 2 && h.family !== 10)).toEqual([
      { family: 1, protocol: 0, states: 0xffff_ffff }, { family: 16, protocol: 0, states: 0xffff_ffff },
      { family: 17, protocol: 0, states: 0xffff_ffff },
    ]);
  });

  it('with a protocol, other families only when named (ss -t -x)', () => {
    expect(socketRequestHeaders({ protocol: ['tcp', 'udp'] }).map((h) => [h.family, h.protocol]))
      .toEqual([[2, 6], [2, 17], [10, 6], [10, 17]]);
    expect(socketRequestHeaders({ protocol: 'tcp', family: ['inet', 'unix'] }).map((h) => [h.family, h.protocol]))
      .toEqual([[2, 6], [1, 0]]);
  });

  it('asks nothing when no state is wanted, refuses unknown names', () => {
    expect(socketRequestHeaders({ states: [] })).toEqual([]);
    expect(() => socketRequestHeaders({ family: 'ipx' as never })).toThrow(/family/);
    expect(() => socketRequestHeaders({ protocol: 'dccp' as never })).toThrow(/protocol/);
  });
});

describe('filterTerm', () => {
  it('splits ranges into the kernel comparisons and folds trivial ones', () => {
    expect(filterTerm({ dstPort: { from: 1024 } })).toEqual({ op: 'port', side: 'dst', cmp: 'ge', port: 1024 });
    expect(filterTerm({ srcPort: { from: 10, to: 20 } })).toEqual({
      op: 'and', terms: [{ op: 'port', side: 'src', cmp: 'ge', port: 10 }, { op: 'port', side: 'src', cmp: 'le', port: 20 }],
    });
    expect(filterTerm({ srcPort: { from: 0, to: 65535 } })).toEqual({ op: 'true' });
    expect(filterTerm({ srcPort: { from: -5, to: 70000 } })).toEqual({ op: 'true' });
    expect(filterTerm({ srcPort: { from: 21, to: 20 } })).toEqual({ op: 'false' });
    expect(filterTerm({})).toEqual({ op: 'true' });
  });

  it('folds constants through and/or/not', () => {
    const empty = { srcPort: { from: 2, to: 1 } };
    expect(filterTerm({ where: { or: [empty, { not: {} }] } })).toEqual({ op: 'false' });
    expect(filterTerm({ where: { or: [{ ifindex: 3 }, { not: empty }] } })).toEqual({ op: 'true' });
    expect(filterTerm({ where: { and: [] } })).toEqual({ op: 'true' });
    expect(filterTerm({ where: { or: [] } })).toEqual({ op: 'false' });
    expect(filterTerm({ where: { not: { not: { ifindex: 3 } } } })).toEqual({ op: 'dev', ifindex: 3 });
  });

  it('parses addresses and prefixes: /0, /32, /128, brackets, host bits', () => {
    const host = filterTerm({ src: '10.1.2.3' });
    expect(host).toMatchObject({ op: 'host', side: 'src', family: 2, prefixLen: 32, port: -1 });
    expect(filterTerm({ dst: '0.0.0.0/0' })).toMatchObject({ family: 2, prefixLen: 0 });
    expect(filterTerm({ dst: '[2001:db8::1]/128' })).toMatchObject({ family: 10, prefixLen: 128 });
    expect(filterTerm({ dst: '::/0' })).toMatchObject({ family: 10, prefixLen: 0 });
  });

  it('refuses malformed conditions with EINVAL', () => {
    const bad: SocketFilter[] = [
      { src: '10.0.0.0/33' }, { src: '::/129' }, { src: 'example.org' }, { src: '10.0.0.1/' }, { dst: '10.0.0.1/-1' },
      { srcPort: 65536 }, { srcPort: -1 }, { dstPort: 1.5 }, { dstPort: { from: 1.5 } }, { ifindex: -1 },
      { mark: { value: 2 ** 32 } }, { mark: { value: 1, mask: -1 } }, { cgroupId: -1n }, { cgroupId: 2n ** 64n },
      { cgroupId: 5 as never }, { where: null as never },
    ];
    for (const filter of bad) {
      expect(() => filterTerm(filter), JSON.stringify(filter, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))).toThrow(NetlinkError);
    }
  });

  it('refuses absurd nesting instead of exhausting the stack', () => {
    let deep: NonNullable<SocketFilter['where']> = { ifindex: 1 };
    for (let i = 0; i < 300; i++) deep = { not: deep };
    expect(() => filterTerm({ where: deep })).toThrow(/nested/);
  });
});

describe('matchSocket', () => {
  it('tests family, protocol and states', () => {
    expect(matchSocket(tcp({}), { family: 'inet' })).toBe(true);
    expect(matchSocket(tcp({}), { family: 'inet6' })).toBe(false);
    expect(matchSocket(tcp({ family: 10, src: '::1', dst: '::1' }), { family: ['inet', 'inet6'] })).toBe(true);
    expect(matchSocket(tcp({}), { protocol: 'udp' })).toBe(false);
    expect(matchSocket(tcp({ protocol: 17 }), { protocol: ['tcp', 'udp'] })).toBe(true);
    expect(matchSocket(tcp({ state: 10 }), { states: ['listening'] })).toBe(true);
    expect(matchSocket(tcp({ state: 10 }), { states: ['connected'] })).toBe(false);
    expect(matchSocket(tcp({ state: 3 }), { states: [12] })).toBe(true); // a request socket, reported as SYN_RECV
    expect(matchSocket(tcp({ state: 3 }), { states: ['syn-recv'] })).toBe(true);
    // A bound, inactive TCP socket: reported CLOSE, dumped for TCP_BOUND_INACTIVE (13) only. UDP's CLOSE is plain.
    expect(matchSocket(tcp({ state: 7 }), { states: [13] })).toBe(true);
    expect(matchSocket(tcp({ state: 7 }), { states: ['closed'] })).toBe(false);
    expect(matchSocket(tcp({ state: 7 }), {})).toBe(true);
    expect(matchSocket(tcp({ state: 7, protocol: 17 }), { states: ['closed'] })).toBe(true);
    expect(matchSocket(tcp({ state: 7, protocol: 17 }), { states: [13] })).toBe(false);
    expect(matchSocket(tcp({ state: 13 }), {})).toBe(true);
    expect(matchSocket(tcp({ state: 32 }), {})).toBe(false); // no state bit to select it by
    expect(matchSocket({ kind: 'unix', state: 33 }, {})).toBe(false);
    expect(matchSocket(tcp({ state: 13 }), { states: ['all'] })).toBe(false);
  });

  it('takes UNIX, netlink and packet sockets by family; they count as closed for states unless UNIX', () => {
    const unix: FilterableSocket = { kind: 'unix', state: 10 };
    const netlink: FilterableSocket = { kind: 'netlink', state: 0, protocol: 0 };
    expect(matchSocket(unix, {})).toBe(true);
    expect(matchSocket(unix, { family: 'unix', states: ['listening'] })).toBe(true);
    expect(matchSocket(unix, { protocol: 'tcp' })).toBe(false);
    expect(matchSocket(unix, { protocol: 'tcp', family: ['inet', 'unix'] })).toBe(true);
    expect(matchSocket(netlink, { states: ['closed'] })).toBe(true);
    expect(matchSocket(netlink, { states: ['established'] })).toBe(false);
    expect(matchSocket(netlink, { family: 'packet' })).toBe(false);
    expect(matchSocket({ kind: 'vsock' }, {})).toBe(false);
  });

  it('makes every address/port condition false for non-inet sockets, so not() is true', () => {
    const unix: FilterableSocket = { kind: 'unix', state: 1 };
    expect(matchSocket(unix, { srcPort: 0 })).toBe(false);
    expect(matchSocket(unix, { ifindex: 0 })).toBe(false);
    expect(matchSocket(unix, { where: { not: { src: '1.2.3.4' } } })).toBe(true);
  });

  it('matches prefixes bit by bit, /0 to /32 and /128', () => {
    const s = tcp({ src: '192.168.129.7' });
    expect(matchSocket(s, { src: '192.168.128.0/17' })).toBe(true);
    expect(matchSocket(s, { src: '192.168.0.0/17' })).toBe(false);
    expect(matchSocket(s, { src: '192.168.129.7' })).toBe(true);
    expect(matchSocket(s, { src: '192.168.129.6' })).toBe(false);
    expect(matchSocket(s, { src: '0.0.0.0/0' })).toBe(true);
    expect(matchSocket(s, { src: '255.255.255.255/0' })).toBe(true); // host bits past the length are ignored
    const v6 = tcp({ family: 10, src: '2001:db8::8000:1', dst: '::' });
    expect(matchSocket(v6, { src: '2001:db8::8000:1/128' })).toBe(true);
    expect(matchSocket(v6, { src: '2001:db8::8000:0/113' })).toBe(true);
    expect(matchSocket(v6, { src: '2001:db8::/112' })).toBe(false);
    expect(matchSocket(v6, { src: '::/0' })).toBe(true);
    expect(matchSocket(v6, { dst: '::' })).toBe(true);
  });

  it('lets IPv4 rules match IPv4-mapped IPv6 sockets, and IPv6 rules never match IPv4 sockets (the kernel S_COND)', () => {
    const mapped = tcp({ family: 10, src: '::ffff:10.1.2.3', dst: '::ffff:10.9.9.9' });
    expect(matchSocket(mapped, { src: '10.0.0.0/8' })).toBe(true);
    expect(matchSocket(mapped, { src: '10.1.2.3' })).toBe(true);
    expect(matchSocket(mapped, { src: '11.0.0.0/8' })).toBe(false);
    expect(matchSocket(mapped, { src: '0.0.0.0/0' })).toBe(true);
    expect(matchSocket(mapped, { src: '::ffff:10.1.2.3' })).toBe(true); // as IPv6, too
    const wildcard6 = tcp({ family: 10, src: '::', dst: '::' });
    expect(matchSocket(wildcard6, { src: '0.0.0.0/0' })).toBe(false); // not mapped: no IPv4 rule applies
    expect(matchSocket(tcp({}), { src: '::ffff:10.0.0.1' })).toBe(false);
    expect(matchSocket(tcp({}), { src: '::/0' })).toBe(false);
  });

  it('reads every text form of a socket address, and one socket after another', () => {
    const v4 = { src: '10.0.0.0/8' };
    expect(matchSocket(tcp({ src: '10.1.2.3' }), v4)).toBe(true);
    expect(matchSocket(tcp({ src: '010.1.2.3' }), v4)).toBe(true); // as inetBytes reads it
    for (const bad of ['10.1.2', '10.1.2.3.4', '10.1.2.256', '10..2.3', '', '10.1.2.3 ']) {
      expect(matchSocket(tcp({ src: bad }), v4), bad).toBe(false);
    }
    expect(matchSocket(tcp({ family: 10, src: '::FFFF:10.1.2.3' }), v4)).toBe(true);
    expect(matchSocket(tcp({ family: 10, src: '::ffff:a01:203' }), v4)).toBe(true);
    expect(matchSocket(tcp({ family: 10, src: '0:0:0:0:0:ffff:10.1.2.3' }), v4)).toBe(true);
    expect(matchSocket(tcp({ family: 10, src: '::ffff:10.1.2' }), v4)).toBe(false);
    expect(matchSocket(tcp({ family: 10, src: '::fffe:10.1.2.3' }), v4)).toBe(false);
    // Alternating sockets and sides: what one parsed is never taken for another's.
    const filter = { where: { or: [{ src: '10.1.0.0/16' }, { dst: '10.1.0.0/16' }] } };
    const a = tcp({ src: '10.1.0.1', dst: '10.9.0.1' });
    const b = tcp({ src: '10.9.0.1', dst: '10.9.0.2' });
    const c = tcp({ family: 10, src: '::ffff:10.9.0.1', dst: '::ffff:10.1.0.9' });
    expect([a, b, c, b, a, c, c, b].map((s) => matchSocket(s, filter))).toEqual([true, false, true, false, true, true, true, false]);
  });

  it('matches ports, port 0 and ranges', () => {
    expect(matchSocket(tcp({ dstPort: 0 }), { dstPort: 0 })).toBe(true);
    expect(matchSocket(tcp({ dstPort: 1 }), { dstPort: 0 })).toBe(false);
    expect(matchSocket(tcp({ srcPort: 1024 }), { srcPort: { from: 1024, to: 1024 } })).toBe(true);
    expect(matchSocket(tcp({ srcPort: 1023 }), { srcPort: { from: 1024 } })).toBe(false);
    expect(matchSocket(tcp({ srcPort: 65535 }), { srcPort: { to: 65534 } })).toBe(false);
  });

  it('tests device, mark under mask (missing mark = 0) and cgroup id (missing = 0)', () => {
    expect(matchSocket(tcp({ ifindex: 3 }), { ifindex: 3 })).toBe(true);
    expect(matchSocket(tcp({ ifindex: 3 }), { ifindex: 0 })).toBe(false);
    expect(matchSocket(tcp({ mark: 0x1234 }), { mark: { value: 0x34, mask: 0xff } })).toBe(true);
    expect(matchSocket(tcp({ mark: 0x1234 }), { mark: { value: 0x1234 } })).toBe(true);
    expect(matchSocket(tcp({ mark: 0x1234 }), { mark: { value: 0x134, mask: 0xff } })).toBe(false); // value outside the mask
    expect(matchSocket(tcp({ mark: 0xffff_ffff }), { mark: { value: 0xffff_ffff } })).toBe(true);
    expect(matchSocket(tcp({}), { mark: { value: 0 } })).toBe(true);
    expect(matchSocket(tcp({ cgroupId: 77n }), { cgroupId: 77n })).toBe(true);
    expect(matchSocket(tcp({}), { cgroupId: 0n })).toBe(true);
    expect(matchSocket(tcp({}), { cgroupId: 77n })).toBe(false);
  });

  it('ANDs the match fields with where, and evaluates or/not', () => {
    const s = tcp({ srcPort: 22, dst: '10.0.0.9' });
    expect(matchSocket(s, { srcPort: 22, where: { or: [{ dst: '10.0.0.8' }, { dst: '10.0.0.9' }] } })).toBe(true);
    expect(matchSocket(s, { srcPort: 23, where: { or: [{ dst: '10.0.0.8' }, { dst: '10.0.0.9' }] } })).toBe(false);
    expect(matchSocket(s, { where: { not: { srcPort: 22 } } })).toBe(false);
    expect(matchSocket(s, { where: { and: [{ srcPort: { from: 20 } }, { not: { dstPort: 443 } }] } })).toBe(true);
  });

  it('prepares a filter once (socketPredicate) and throws EINVAL for a malformed one', () => {
    const listening = socketPredicate({ states: ['listening'], protocol: 'tcp' });
    expect(listening(tcp({ state: 10 }))).toBe(true);
    expect(listening(tcp({ state: 1 }))).toBe(false);
    expect(() => matchSocket(tcp({}), { src: 'nonsense' })).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });
});
