/**
 * /proc/net/raw and raw6 lines read as ss reads them: addresses printed as
 * host-order words, hex ports (a raw socket's protocol), state, queues, uid
 * and inode; the header and unreadable lines skipped.
 */
import { describe, expect, it } from 'vitest';
import { procInetSockets } from '../../lib/cli/ss-proc-sockets.js';

const RAW = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 224: 0100007F:00FD 0201A8C0:0000 07 00000010:00000200 00:00000000 00000000  1000        0 3394535 2 00000000ae525417 0
 garbage
`;
const RAW6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  58: 00000000000000000000000001000000:003A 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3394536 2 0000000000000000 0
  59: B80D0120000000000000000001000000:003A 00000000000000000000000000000000:0000 01 00000000:00000000 00:00000000 00000000     0        0 3394537 2 0000000000000000 0
`;

describe('procInetSockets', () => {
  it('reads an IPv4 line', () => {
    expect(procInetSockets(RAW, 2, 255)).toEqual([expect.objectContaining({
      kind: 'inet', family: 2, protocol: 255, rawProtocol: 253, state: 7, src: '127.0.0.1', srcPort: 253, dst: '192.168.1.2',
      dstPort: 0, wqueue: 16, rqueue: 512, uid: 1000, inode: 3394535,
    })]);
  });

  it('reads IPv6 lines, four host-order words an address', () => {
    const sockets = procInetSockets(RAW6, 10, 255);
    expect(sockets.map((s) => [s.src, s.srcPort, s.dst, s.state, s.inode])).toEqual([
      ['::1', 58, '::', 7, 3394536], ['2001:db8::1', 58, '::', 1, 3394537],
    ]);
  });

  it('reads nothing from an IPv6 table as IPv4, or from no table', () => {
    expect(procInetSockets(RAW6, 2, 255)).toEqual([]);
    expect(procInetSockets('', 10, 255)).toEqual([]);
  });
});
