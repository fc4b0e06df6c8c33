/**
 * Every sock_diag description on random bytes (fast-check): a reply either
 * decodes — its faults recorded in `problems` — or, when it is shorter than
 * its fixed header, throws a NetlinkDecodeError; nothing else is ever thrown.
 * The attribute part is random well-framed TLVs over every attribute number
 * each family knows (and a few it does not), with random payloads, so the
 * custom readers (tcp_info, sockaddr lists, md5sig, names, rings …) meet
 * every length.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NLM_F_MULTI, readHeader } from '../../lib/codec/header.js';
import type { MessageDescription } from '../../lib/codec/message-description.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import { inetSocketMessage } from '../../lib/sockdiag/inet-diag-decode.js';
import { netlinkSocketMessage } from '../../lib/sockdiag/netlink-diag-decode.js';
import { packetSocketMessage } from '../../lib/sockdiag/packet-diag-decode.js';
import { IPPROTO_MPTCP, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, SOCK_DIAG_BY_FAMILY } from '../../lib/sockdiag/sockdiag-constants.js';
import { unixSocketMessage } from '../../lib/sockdiag/unix-diag-decode.js';
import { nlmsg, tlv } from '../helpers/fake-kernel.js';

const CASES: [string, MessageDescription<unknown>, number, number][] = [
  ['inet tcp', inetSocketMessage(IPPROTO_TCP), 72, 24],
  ['inet udp', inetSocketMessage(IPPROTO_UDP), 72, 24],
  ['inet sctp', inetSocketMessage(IPPROTO_SCTP), 72, 24],
  ['inet mptcp', inetSocketMessage(IPPROTO_MPTCP), 72, 24],
  ['unix', unixSocketMessage, 16, 10],
  ['netlink', netlinkSocketMessage, 28, 7],
  ['packet', packetSocketMessage, 16, 10],
];

const attribute = (maxType: number) => fc.tuple(fc.integer({ min: 0, max: maxType }), fc.boolean(), fc.uint8Array({ maxLength: 320 }))
  .map(([type, nestedFlag, payload]) => tlv(type | (nestedFlag ? 0x8000 : 0), payload));

function decodes(description: MessageDescription<unknown>, payload: Buffer): void {
  const msg = readHeader(nlmsg({ type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_MULTI, seq: 1, pid: 1, payload }), 0);
  try {
    const object = description.decode(msg) as { problems?: unknown[] };
    for (const problem of object.problems ?? []) expect(problem).toBeInstanceOf(NetlinkDecodeError);
  } catch (error) {
    expect(error).toBeInstanceOf(NetlinkDecodeError);
  }
}

describe('sock_diag descriptions on random bytes', () => {
  it.each(CASES)('%s: any bytes decode or fail with a NetlinkDecodeError', (_name, description) => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => decodes(description, Buffer.from(bytes))), { numRuns: 300 });
  });

  it.each(CASES)('%s: random attributes after a whole header never throw', (_name, description, headerSize, maxType) => {
    fc.assert(fc.property(fc.uint8Array({ minLength: headerSize, maxLength: headerSize }), fc.array(attribute(maxType), { maxLength: 12 }),
      fc.uint8Array({ maxLength: 6 }), (header, attributes, tail) => {
        const msg = readHeader(nlmsg({ type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_MULTI, seq: 1, pid: 1,
          payload: Buffer.concat([Buffer.from(header), ...attributes, Buffer.from(tail)]) }), 0);
        const object = description.decode(msg) as { problems?: unknown[] };
        for (const problem of object.problems ?? []) expect(problem).toBeInstanceOf(NetlinkDecodeError);
      }), { numRuns: 300 });
  });
});
