/**
 * `ethtool DEV`'s text on replies no device here gives (the oracle spec,
 * spec/cli/ethtool-cli.spec.ts, covers veth, tap, bridge and lo): link modes
 * with supported and advertised bits and a link partner, Wake-on-LAN with
 * SecureOn, an extended link state, SQI; the layout follows ethtool 6.1's
 * netlink/settings.c.
 */
import { describe, expect, it } from 'vitest';
import { settingsText } from '../../lib/cli/ethtool-settings-format.js';
import type { EthtoolBitset } from '../../lib/genl/ethtool.js';

const reply = { cmd: 0, genlVersion: 1 };
/** A verbose bitset: every listed bit is in the mask; `set` ones carry a value. */
const bits = (all: readonly [number, string][], set: readonly number[]): EthtoolBitset => ({
  size: 100, bits: all.map(([index, name]) => ({ index, name, ...(set.includes(index) ? { value: true as const } : {}) })),
});

describe('settingsText', () => {
  it('prints supported and advertised modes, half/full twins on one line, ports, pause, FEC and the partner', () => {
    const modes: [number, string][] = [
      [0, '10baseT/Half'], [1, '10baseT/Full'], [2, '100baseT/Half'], [3, '100baseT/Full'], [5, '1000baseT/Full'],
      [6, 'Autoneg'], [7, 'TP'], [9, 'MII'], [13, 'Pause'], [14, 'Asym_Pause'], [49, 'None'], [50, 'RS'],
    ];
    const text = settingsText('eth0', {
      linkModes: {
        ...reply, ours: bits(modes, [1, 3, 5, 6, 13, 50]),
        // A partner's modes come without a mask: every listed bit is set.
        peer: { nomask: true, bits: [{ index: 5, name: '1000baseT/Full' }, { index: 14, name: 'Asym_Pause' }] },
        speed: 1000, duplex: 1, autoneg: 1, masterSlaveCfg: 2, masterSlaveState: 4,
      },
      linkInfo: { ...reply, port: 0, phyaddr: 1, transceiver: 1, tpMdix: 2, tpMdixCtrl: 3 },
      wol: { ...reply, modes: bits([[0, 'phy'], [5, 'magic'], [6, 'magicsecure']], [5]), sopass: Uint8Array.of(1, 2, 3, 0xa, 0xb, 0xc) },
      debug: { ...reply, msgmask: bits([[0, 'drv'], [2, 'link']], [0, 2]) },
      linkState: { ...reply, link: 0, extState: 4, extSubstate: 1, sqi: 5, sqiMax: 7, extDownCnt: 3 },
    });
    expect(text).toBe([
      'Settings for eth0:',
      '\tSupported ports: [ TP\t MII ]',
      '\tSupported link modes:   10baseT/Half 10baseT/Full',
      '\t                        100baseT/Half 100baseT/Full',
      '\t                        1000baseT/Full',
      '\tSupported pause frame use: Symmetric Receive-only',
      '\tSupports auto-negotiation: Yes',
      '\tSupported FEC modes: None\t RS',
      '\tAdvertised link modes:  10baseT/Full',
      '\t                        100baseT/Full',
      '\t                        1000baseT/Full',
      '\tAdvertised pause frame use: Symmetric',
      '\tAdvertised auto-negotiation: Yes',
      '\tAdvertised FEC modes: RS',
      '\tLink partner advertised link modes:  1000baseT/Full',
      '\tLink partner advertised pause frame use: Transmit-only',
      '\tLink partner advertised auto-negotiation: No',
      '\tLink partner advertised FEC modes: Not reported',
      '\tSpeed: 1000Mb/s',
      '\tDuplex: Full',
      '\tAuto-negotiation: on',
      '\tmaster-slave cfg: preferred master',
      '\tmaster-slave status: resolution error',
      '\tPort: Twisted Pair',
      '\tPHYAD: 1',
      '\tTransceiver: external',
      '\tMDI-X: on (auto)',
      '\tSupports Wake-on: pgs',
      '\tWake-on: g',
      '        SecureOn password: 01:02:03:0a:0b:0c',
      '        Current message level: 0x00000005 (5)',
      '                               drv link',
      '\tLink detected: no (No cable, 1)',
      '\tSQI: 5/7',
      '\tLink Down Events: 3',
      '',
    ].join('\n'));
  });

  it('says Unknown! for values ethtool has no name for, and nothing for no replies', () => {
    expect(settingsText('br0', { linkModes: { ...reply, speed: 0xffffffff, duplex: 255 }, linkInfo: { ...reply, port: 0x42 } }))
      .toBe('Settings for br0:\n\tSpeed: Unknown!\n\tDuplex: Unknown! (255)\n\tPort: Unknown! (66)\n');
    expect(settingsText('lo', {})).toBeUndefined();
    expect(settingsText('x', { wol: { ...reply } })).toBe('Settings for x:\n\tSupports Wake-on: d\n\tWake-on: d\n');
  });
});
