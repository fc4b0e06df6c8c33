/**
 * socketSelector on crafted replies: the socket of the query's kind, other
 * message types left out, the match applied, and a cookie seen before —
 * in this dump or another sharing the set — dropped.
 */
import { describe, expect, it } from 'vitest';
import { NLMSG_DONE, NLM_F_MULTI, readHeader } from '../../lib/codec/header.js';
import { IPPROTO_UDP, SOCK_DIAG_BY_FAMILY } from '../../lib/sockdiag/sockdiag-constants.js';
import { socketSelector } from '../../lib/sockdiag/socket-selector.js';
import { nlmsg } from '../helpers/fake-kernel.js';

function inet(cookie: bigint, port: number, type = SOCK_DIAG_BY_FAMILY) {
  const b = Buffer.alloc(72);
  b.set([2, 7]);
  b.writeUInt16BE(port, 4);
  b.writeBigUInt64LE(cookie, 44);
  return readHeader(nlmsg({ type, flags: NLM_F_MULTI, seq: 1, pid: 1, payload: b }), 0);
}

function unix(cookie: bigint) {
  const b = Buffer.alloc(16);
  b.set([1, 2, 7]);
  b.writeBigUInt64LE(cookie, 8);
  return readHeader(nlmsg({ type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_MULTI, seq: 1, pid: 1, payload: b }), 0);
}

describe('socketSelector', () => {
  it('decodes by the query\'s family and protocol, and drops a cookie already delivered', () => {
    const select = socketSelector({ family: 2, protocol: IPPROTO_UDP });
    expect(select(inet(5n, 53))).toMatchObject({ kind: 'inet', protocol: IPPROTO_UDP, srcPort: 53, cookie: 5n });
    expect(select(inet(5n, 53))).toBeUndefined();
    expect(select(inet(6n, 53))?.cookie).toBe(6n);
  });

  it('leaves out other message types and what the match refuses (without remembering it)', () => {
    let allow = false;
    const select = socketSelector({ family: 2, protocol: IPPROTO_UDP }, () => allow);
    expect(select(inet(1n, 1, NLMSG_DONE))).toBeUndefined();
    expect(select(inet(1n, 1))).toBeUndefined();
    allow = true;
    expect(select(inet(1n, 1))?.cookie).toBe(1n);
  });

  it('shares the cookies it saw with the other dumps of one result', () => {
    const seen = new Set<bigint>();
    expect(socketSelector({ family: 2, protocol: IPPROTO_UDP }, undefined, seen)(inet(9n, 1))?.cookie).toBe(9n);
    expect(socketSelector({ family: 10, protocol: IPPROTO_UDP }, undefined, seen)(inet(9n, 1))).toBeUndefined();
    expect(socketSelector({ family: 1, protocol: 0 }, undefined, seen)(unix(10n))).toMatchObject({ kind: 'unix', cookie: 10n });
    expect([...seen]).toEqual([9n, 10n]);
  });
});
