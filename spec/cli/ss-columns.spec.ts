/**
 * ss's layout on a pipe, from lines `ss` printed on this machine: widths from
 * the widest field plus the left delimiter, addresses right-aligned, the last
 * row's process field not counted; and ss's rules for which tables, families
 * and states an argument list selects.
 */
import { describe, expect, it } from 'vitest';
import { renderSsTable } from '../../lib/cli/ss-columns.js';
import { parseSsArguments, scanState, SsTable } from '../../lib/cli/ss-options.js';
import { UsageError } from '../../lib/cli/cli-context.js';

const listener = { state: 'LISTEN', recvq: '0     ', sendq: '128   ', addr: '0.0.0.0:', port: '2024', peer: '0.0.0.0:', peerPort: '*', process: '' };

describe('renderSsTable', () => {
  it('lays out one listener as `ss -tln` does', () => {
    expect(renderSsTable([listener], { header: true, hidden: new Set(['netid']) })).toBe(
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n' +
      'LISTEN 0      128          0.0.0.0:2024      0.0.0.0:*          \n');
  });

  it('without a header, sizes columns by the rows alone', () => {
    expect(renderSsTable([listener, { ...listener, addr: '[::1]:', port: '5002', peer: '[::]:' }], { header: false, hidden: new Set(['netid']) }))
      .toBe('LISTEN 0      128    0.0.0.0:2024 0.0.0.0:*\nLISTEN 0      128      [::1]:5002    [::]:*\n');
  });

  it('does not count the last row\'s process field, as ss never measures it', () => {
    const rows = [{ ...listener, process: ' a' }, { ...listener, process: ' a-much-longer-one' }];
    const text = renderSsTable(rows, { header: true, hidden: new Set(['netid']) });
    expect(text.split('\n')[0]).toMatch(/PortProcess$/);
    expect(text.split('\n')[1]).toMatch(/\*    a {5}$/); // padded to "Process", the widest counted
    expect(text.split('\n')[2]).toMatch(/\*    a-much-longer-one$/);
  });

  it('prints nothing for no rows and no header', () => {
    expect(renderSsTable([], { header: false, hidden: new Set() })).toBe('');
  });
});

describe('parseSsArguments', () => {
  it('follows ss\'s defaults: -t shows connected TCP, -l listening and unconnected, -a all', () => {
    expect(parseSsArguments(['-t']).tables).toBe(SsTable.tcp);
    // Every state but listening, unconnected, time-wait and syn-recv (ss's SS_CONN).
    expect(parseSsArguments(['-t']).states).toBe(0xfff & ~((1 << 10) | (1 << 7) | (1 << 6) | (1 << 3)));
    expect(parseSsArguments(['-tl']).states).toBe((1 << 10) | (1 << 7));
    expect(parseSsArguments(['-ta']).states).toBe((1 << 12) - 1);
    expect(parseSsArguments(['-u']).states).toBe(1 << 1);
    expect(parseSsArguments(['-x']).tables).toBe(SsTable.unixStream | SsTable.unixDgram | SsTable.unixSeqpacket);
  });

  it('takes options anywhere, state words first, the rest as the expression', () => {
    const options = parseSsArguments(['state', 'established', '-t', 'sport', '=', ':22', '-n']);
    expect(options.numeric).toBe(true);
    expect(options.states).toBe(1 << 1);
    expect(options.expression).toEqual(['sport', '=', ':22']);
  });

  it('fails as ss does on a bad state or option (status 255)', () => {
    expect(() => scanState('bogus')).toThrow(/^ss: wrong state name: bogus$/);
    expect(() => parseSsArguments(['-q'])).toThrow(/^ss: invalid option -- 'q'/);
    try {
      parseSsArguments(['-t', 'state', 'nope']);
    } catch (error) {
      expect((error as UsageError).exitCode).toBe(255);
    }
  });
});
