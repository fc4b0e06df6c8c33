/** socketQuery*: each family's request, reply description and diag module. */
import { describe, expect, it } from 'vitest';
import { NETLINK_SOCK_DIAG } from '../../lib/codec/header.js';
import { inetSocketMessage } from '../../lib/sockdiag/inet-diag-decode.js';
import { netlinkSocketMessage } from '../../lib/sockdiag/netlink-diag-decode.js';
import { packetSocketMessage } from '../../lib/sockdiag/packet-diag-decode.js';
import {
  AF_NETLINK, IPPROTO_MPTCP, IPPROTO_RAW, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, SOCK_DIAG_BY_FAMILY,
} from '../../lib/sockdiag/sockdiag-constants.js';
import { socketQueryMessage, socketQueryModule, socketQueryRequest } from '../../lib/sockdiag/socket-query.js';
import { unixSocketMessage } from '../../lib/sockdiag/unix-diag-decode.js';

describe('socket queries', () => {
  it('send each family\'s own request on NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY', () => {
    const sizes = [[2, IPPROTO_TCP, 56], [10, IPPROTO_UDP, 56], [1, 0, 24], [AF_NETLINK, 0, 20], [17, 0, 20]];
    for (const [family, protocol, size] of sizes) {
      const request = socketQueryRequest({ family, protocol, states: 1 << 10 });
      expect(request).toMatchObject({ protocol: NETLINK_SOCK_DIAG, type: SOCK_DIAG_BY_FAMILY });
      expect(request.payload).toHaveLength(size);
      expect(request.payload[0]).toBe(family);
    }
    expect(() => socketQueryRequest({ family: 40, protocol: 0 })).toThrow(RangeError);
  });

  it('decode replies with the family\'s description', () => {
    expect(socketQueryMessage({ family: 10, protocol: IPPROTO_TCP })).toBe(inetSocketMessage(IPPROTO_TCP));
    expect(socketQueryMessage({ family: 1, protocol: 0 })).toBe(unixSocketMessage);
    expect(socketQueryMessage({ family: AF_NETLINK, protocol: 0 })).toBe(netlinkSocketMessage);
    expect(socketQueryMessage({ family: 17, protocol: 0 })).toBe(packetSocketMessage);
  });

  it('name the kernel module that answers them', () => {
    expect([IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_RAW, IPPROTO_SCTP, IPPROTO_MPTCP].map((protocol) => socketQueryModule({ family: 2, protocol })))
      .toEqual(['tcp_diag', 'udp_diag', 'udp_diag', 'raw_diag', 'sctp_diag', 'mptcp_diag']);
    expect([1, AF_NETLINK, 17].map((family) => socketQueryModule({ family, protocol: 0 }))).toEqual(['unix_diag', 'netlink_diag', 'af_packet_diag']);
  });
});
