/**
 * ethtool texts no device here can show: `ethtool -T` of a NIC with a
 * hardware clock, transmit types and receive filters (tsinfo_reply_cb's
 * lists: each set bit on its own line, " none" when empty).
 */
import { describe, expect, it } from 'vitest';
import { tsinfoFormat } from '../../lib/cli/ethtool-format.js';

const bits = (...names: string[]) => ({ nomask: true as const, bits: names.map((name, index) => ({ index, name })) });

describe('tsinfoFormat', () => {
  it('prints a hardware clock and every transmit type and receive filter, as ethtool -T', () => {
    expect(tsinfoFormat.text({
      cmd: 26, genlVersion: 1, header: { ifname: 'eth0' },
      timestamping: bits('hardware-transmit', 'software-transmit', 'hardware-receive', 'hardware-raw-clock'),
      phcIndex: 0, txTypes: bits('off', 'on'), rxFilters: bits('none', 'all'),
    })).toBe([
      'Time stamping parameters for eth0:', 'Capabilities:', '\thardware-transmit', '\tsoftware-transmit',
      '\thardware-receive', '\thardware-raw-clock', 'PTP Hardware Clock: 0', 'Hardware Transmit Timestamp Modes:',
      '\toff', '\ton', 'Hardware Receive Filter Modes:', '\tnone', '\tall', '',
    ].join('\n'));
  });

  it('lists only the set bits of a bitset with a mask, and says none for empty lists', () => {
    expect(tsinfoFormat.text({
      cmd: 26, genlVersion: 1, header: { ifname: 'v0' },
      timestamping: { bits: [{ index: 0, name: 'hardware-transmit' }, { index: 1, name: 'software-transmit', value: true }] },
      txTypes: { bits: [] },
    })).toBe('Time stamping parameters for v0:\nCapabilities:\n\tsoftware-transmit\nPTP Hardware Clock: none\n' +
      'Hardware Transmit Timestamp Modes: none\nHardware Receive Filter Modes: none\n');
  });
});
