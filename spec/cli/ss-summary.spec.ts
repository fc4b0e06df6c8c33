/**
 * `ss -s` from crafted /proc/net files: which line feeds which number, the
 * arithmetic of ss's TCP line (total = alloc + tw; closed = alloc − (inuse4
 * + inuse6 − tw)), the Transport table's `%-9d` columns, and what a missing
 * file or column leaves (zeros, as ss's zeroed struct does).
 */
import { describe, expect, it } from 'vitest';
import { ssSummary } from '../../lib/cli/ss-summary.js';

const SOCKSTAT = `sockets: used 41
TCP: inuse 5 orphan 2 tw 3 alloc 12 mem 7
UDP: inuse 4 mem 1
UDPLITE: inuse 0
RAW: inuse 1
FRAG: inuse 6 memory 1024
`;
const SOCKSTAT6 = `TCP6: inuse 2
UDP6: inuse 3
UDPLITE6: inuse 0
RAW6: inuse 7
FRAG6: inuse 8 memory 0
`;
const SNMP = `Ip: Forwarding DefaultTTL
Ip: 1 64
Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs
Tcp: 1 200 120000 -1 10 11 0 0 4 99
Udp: InDatagrams NoPorts
Udp: 5 6
`;

describe('ssSummary', () => {
  it('prints ss -s for the files', () => {
    expect(ssSummary({ sockstat: SOCKSTAT, sockstat6: SOCKSTAT6, snmp: SNMP })).toBe(
      'Total: 41\n'
      + 'TCP:   15 (estab 4, closed 8, orphaned 2, timewait 3)\n'
      + '\n'
      + 'Transport Total     IP        IPv6\n'
      + 'RAW\t  8         1         7        \n'
      + 'UDP\t  7         4         3        \n'
      + 'TCP\t  7         5         2        \n'
      + 'INET\t  22        10        12       \n'
      + 'FRAG\t  14        6         8        \n'
      + '\n');
  });

  it('reads CurrEstab by its column, not its place', () => {
    const snmp = 'Tcp: CurrEstab RtoMin\nTcp: 9 200\n';
    expect(ssSummary({ sockstat: '', sockstat6: '', snmp })).toContain('(estab 9,');
  });

  it('leaves zeros where a file or a line is missing', () => {
    const text = ssSummary({ sockstat: 'sockets: used 3\n', sockstat6: '', snmp: '' });
    expect(text.split('\n').slice(0, 2)).toEqual(['Total: 3', 'TCP:   0 (estab 0, closed 0, orphaned 0, timewait 0)']);
    expect(text).toContain('INET\t  0         0         0        \n');
  });
});
