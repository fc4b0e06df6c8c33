/**
 * ETHTOOL_MSG_STATS_GET on crafted bytes — what no device here reports: a
 * MAC group whose counters are numbered by their index in the group's string
 * set (0 included), RMON histograms, a counter of the wrong size — and on the
 * real kernel, where a veth answers every group asked for without counters.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genl } from '../../lib/client/genl.js';
import {
  ETH_SS_STATS_ETH_MAC, ETH_SS_STATS_RMON, ETHTOOL_A_STATS_GRP, ETHTOOL_A_STATS_GRP_HIST_BKT_HI,
  ETHTOOL_A_STATS_GRP_HIST_BKT_LOW, ETHTOOL_A_STATS_GRP_HIST_RX, ETHTOOL_A_STATS_GRP_HIST_TX,
  ETHTOOL_A_STATS_GRP_HIST_VAL, ETHTOOL_A_STATS_GRP_ID, ETHTOOL_A_STATS_GRP_SS_ID, ETHTOOL_A_STATS_GRP_STAT,
  ETHTOOL_A_STATS_HEADER, ETHTOOL_A_STATS_SRC, ethtoolFamily, statsMessage,
} from '../../lib/genl/ethtool.js';
import { namedStandardStats, standardStatsFormat } from '../../lib/cli/ethtool-format.js';
import { nlmsg, tlv } from '../helpers/fake-kernel.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
const u64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(v); return b; };
const nest = (type: number, ...parts: Buffer[]) => tlv(type | 0x8000, Buffer.concat(parts));
const bucket = (type: number, low: number, high: number, value: bigint) => nest(type,
  tlv(ETHTOOL_A_STATS_GRP_HIST_BKT_LOW, u32(low)), tlv(ETHTOOL_A_STATS_GRP_HIST_BKT_HI, u32(high)),
  tlv(ETHTOOL_A_STATS_GRP_HIST_VAL, u64(value)));

/** A STATS_GET reply for eth0: eth-mac (id 1) and rmon (id 3), as a driver with both would send it. */
function reply(statAttributes: Buffer = Buffer.concat([tlv(0, u64(12n)), tlv(3, u64(2n ** 63n + 1n))])) {
  const payload = Buffer.concat([
    Buffer.from([33, 1, 0, 0]),
    nest(ETHTOOL_A_STATS_HEADER, tlv(1, u32(2)), tlv(2, Buffer.from('eth0\0'))),
    tlv(ETHTOOL_A_STATS_SRC, u32(0)),
    nest(ETHTOOL_A_STATS_GRP, tlv(ETHTOOL_A_STATS_GRP_ID, u32(1)), tlv(ETHTOOL_A_STATS_GRP_SS_ID, u32(ETH_SS_STATS_ETH_MAC)),
      nest(ETHTOOL_A_STATS_GRP_STAT, statAttributes)),
    nest(ETHTOOL_A_STATS_GRP, tlv(ETHTOOL_A_STATS_GRP_ID, u32(3)), tlv(ETHTOOL_A_STATS_GRP_SS_ID, u32(ETH_SS_STATS_RMON)),
      nest(ETHTOOL_A_STATS_GRP_STAT, tlv(1, u64(5n))),
      bucket(ETHTOOL_A_STATS_GRP_HIST_RX, 0, 64, 100n), bucket(ETHTOOL_A_STATS_GRP_HIST_RX, 65, 127, 200n),
      bucket(ETHTOOL_A_STATS_GRP_HIST_RX, 1519, 0, 7n), bucket(ETHTOOL_A_STATS_GRP_HIST_TX, 0, 64, 300n)),
  ]);
  const data = nlmsg({ type: 21, seq: 1, pid: 0, payload });
  return statsMessage.decode({ data, offset: 0, length: data.length, type: 21, flags: 0, seq: 1, pid: 0 });
}

const std = ['eth-phy', 'eth-mac', 'eth-ctrl', 'rmon'].map((value, index) => ({ index, value }));
const sets = new Map([
  [ETH_SS_STATS_ETH_MAC, ['FramesTransmittedOK', 'SingleCollisionFrames', 'MultipleCollisionFrames', 'FramesReceivedOK']
    .map((value, index) => ({ index, value }))],
  [ETH_SS_STATS_RMON, ['etherStatsUndersizePkts', 'etherStatsOversizePkts'].map((value, index) => ({ index, value }))],
]);

describe('ethtool standard statistics (crafted bytes)', () => {
  it('decodes groups, counters numbered from 0 (as bigints, past 2^53) and histograms', () => {
    const stats = reply();
    expect(stats.header).toEqual({ ifindex: 2, ifname: 'eth0' });
    expect(stats.src).toBe(0);
    expect(stats.groups).toEqual([
      { id: 1, ssId: ETH_SS_STATS_ETH_MAC, stats: [{ id: 0, value: 12n }, { id: 3, value: 2n ** 63n + 1n }] },
      {
        id: 3, ssId: ETH_SS_STATS_RMON, stats: [{ id: 1, value: 5n }],
        histogramRx: [{ low: 0, high: 64, value: 100n }, { low: 65, high: 127, value: 200n }, { low: 1519, high: 0, value: 7n }],
        histogramTx: [{ low: 0, high: 64, value: 300n }],
      },
    ]);
    expect(stats.problems).toBeUndefined();
  });

  it('records a counter of the wrong size as a problem of the reply, not a crash', () => {
    const stats = reply(Buffer.concat([tlv(0, u64(1n)), tlv(1, u32(9))]));
    expect(stats.problems?.[0]).toMatchObject({ code: 'EPROTO' });
    expect(stats.problems?.[0].message).toMatch(/counter 1 has 4 bytes/);
  });

  it('prints the groups as ethtool -S --all-groups does, counters named from the kernel\'s string sets', () => {
    const named = namedStandardStats(reply(), std, sets);
    expect(standardStatsFormat.text(named)).toBe([
      'Standard stats for eth0:',
      'eth-mac-FramesTransmittedOK: 12',
      'eth-mac-FramesReceivedOK: 9223372036854775809',
      'rmon-etherStatsOversizePkts: 5',
      'rx-rmon-etherStatsPkts64Octets: 100',
      'rx-rmon-etherStatsPkts65to127Octets: 200',
      'rx-rmon-etherStatsPkts1519toMaxOctets: 7',
      'tx-rmon-etherStatsPkts64Octets: 300',
      '',
    ].join('\n'));
    const [json] = [JSON.parse(`[${standardStatsFormat.json(named)}]`)];
    expect(json[0].groups[0].stats[1].name).toBe('FramesReceivedOK');
    // The exact digits, not a rounded double.
    expect(standardStatsFormat.json(named)).toContain('"value":9223372036854775809');
  });
});

describe.skipIf(!isRoot)('ethtool standard statistics (real kernel)', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('ethtool-stats');
    ns.ip('link', 'add', 's0', 'type', 'veth', 'peer', 'name', 's1');
  });
  afterAll(() => ns?.remove());

  it('answers every group asked for, by name, without counters for a veth; an unknown name is refused', async () => {
    const client = genl({ netns: ns.name });
    try {
      const ethtool = client.use(ethtoolFamily);
      const [s0] = await lastValueFrom(ethtool.stats({ ifname: 's0' }).pipe(toArray()));
      expect(s0.header?.ifname).toBe('s0');
      expect(s0.groups?.map((g) => g.id)).toEqual([0, 1, 2, 3]);
      expect(s0.groups?.every((g) => g.stats === undefined || g.stats.length === 0)).toBe(true);
      const [mac] = await lastValueFrom(ethtool.stats({ ifname: 's0', groups: ['eth-mac'] }).pipe(toArray()));
      expect(mac.groups?.map((g) => g.ssId)).toEqual([ETH_SS_STATS_ETH_MAC]);
      const every = await lastValueFrom(ethtool.stats().pipe(toArray()));
      expect(every.map((s) => s.header?.ifname).sort()).toEqual(['lo', 's0', 's1']);
      await expect(lastValueFrom(ethtool.stats({ ifname: 's0', groups: ['no-such-group'] })))
        .rejects.toMatchObject({ code: 'EOPNOTSUPP', extAckMessage: 'bit name not found' });
    } finally {
      client.close();
    }
  });
});
