/**
 * The ethtool ioctl's request sequences against a played kernel: the structs
 * as ethtool.h lays them out, and a driver whose number of statistics changes
 * between the calls — answered with none (newer kernels: a count that is not
 * the one asked for gets len 0) or with EFAULT (older kernels write them all;
 * the addon's guard page stops them) — so names and counters always pair up.
 */
import { describe, expect, it } from 'vitest';
import { NetlinkError, NetlinkSyscallError } from '../../lib/errors.js';
import {
  ETH_GSTRING_LEN, ETH_SS_STATS, ETHTOOL_DRVINFO_SIZE, ETHTOOL_GDRVINFO, ETHTOOL_GSSET_INFO, ETHTOOL_GSTATS,
  ETHTOOL_GSTRINGS, decodeDriverInfo, type EthtoolIoctl,
} from '../../lib/ethtool/ethtool-ioctl-decode.js';
import { driverInfo, statistics, stringSetLength } from '../../lib/ethtool/ethtool-ioctl.js';

/** A driver as the kernel's ethtool ioctl serves it; `names(call)` are its statistics at the n-th call. */
function playedKernel(names: (call: number) => string[], options: { oldKernel?: boolean } = {}) {
  const calls: number[] = [];
  const io: EthtoolIoctl = (ifname, data) => {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const cmd = view.getUint32(0, true);
    calls.push(cmd);
    if (ifname !== 'eth0') throw new NetlinkSyscallError('ioctl: No such device (ENODEV)', 19, 'ioctl', 'ENODEV');
    const now = names(calls.length);
    if (cmd === ETHTOOL_GSSET_INFO) {
      const mask = view.getBigUint64(8, true);
      view.setBigUint64(8, now.length === 0 ? 0n : mask & (1n << BigInt(ETH_SS_STATS)), true);
      if (now.length) view.setUint32(16, now.length, true);
    } else if (cmd === ETHTOOL_GSTRINGS || cmd === ETHTOOL_GSTATS) {
      const lenAt = cmd === ETHTOOL_GSTRINGS ? 8 : 4;
      const asked = view.getUint32(lenAt, true);
      const item = cmd === ETHTOOL_GSTRINGS ? ETH_GSTRING_LEN : 8;
      const start = cmd === ETHTOOL_GSTRINGS ? 12 : 8;
      if (asked !== now.length && !options.oldKernel) return view.setUint32(lenAt, 0, true);
      if (start + now.length * item > data.byteLength) {
        throw new NetlinkSyscallError('ioctl: Bad address (EFAULT)', 14, 'ioctl', 'EFAULT');
      }
      view.setUint32(lenAt, now.length, true);
      now.forEach((name, i) => {
        if (cmd === ETHTOOL_GSTRINGS) data.set(Buffer.from(name, 'utf8').subarray(0, ETH_GSTRING_LEN), start + i * item);
        else view.setBigUint64(start + i * 8, BigInt(1000 * calls.length + i), true);
      });
    } else if (cmd === ETHTOOL_GDRVINFO) {
      data.set(Buffer.from('mlx5_core'), 4);
      data.set(Buffer.from('6.18'), 36);
      data.set(Buffer.from('22.39.1002 (MT_0000000359)'), 68);
      data.set(Buffer.from('0000:3b:00.0'), 100);
      view.setUint32(176, 2, true);
      view.setUint32(180, now.length, true);
      view.setUint32(192, 4096, true);
    }
  };
  return { io, calls };
}

const queues = (n: number) => Array.from({ length: n }, (_, i) => `rx${i}_packets`);

describe('the ethtool ioctl', () => {
  it('reads struct ethtool_drvinfo field by field', () => {
    const info = driverInfo(playedKernel(() => queues(3)).io, 'eth0');
    expect(info).toEqual({
      ifname: 'eth0', driver: 'mlx5_core', version: '6.18', firmwareVersion: '22.39.1002 (MT_0000000359)',
      busInfo: '0000:3b:00.0', expansionRomVersion: '', privFlags: 2, stats: 3, testInfoLength: 0, eepromLength: 0,
      registerDumpLength: 4096,
    });
  });

  it('refuses a drvinfo struct shorter than the kernel writes', () => {
    expect(() => decodeDriverInfo('eth0', new Uint8Array(ETHTOOL_DRVINFO_SIZE - 1)))
      .toThrow(expect.objectContaining({ code: 'EPROTO' }));
  });

  it('pairs every name with its counter, a name of exactly 32 characters included', () => {
    const long = 'x'.repeat(ETH_GSTRING_LEN);
    const { io, calls } = playedKernel(() => ['peer_ifindex', long, 'rx_drops']);
    expect(statistics(io, 'eth0')).toEqual({
      ifname: 'eth0',
      statistics: [{ name: 'peer_ifindex', value: 3000n }, { name: long, value: 3001n }, { name: 'rx_drops', value: 3002n }],
    });
    expect(calls).toEqual([ETHTOOL_GSSET_INFO, ETHTOOL_GSTRINGS, ETHTOOL_GSTATS]);
  });

  it('has no statistics for a driver without the set (GSSET_INFO clears its bit)', () => {
    const { io, calls } = playedKernel(() => []);
    expect(statistics(io, 'eth0')).toEqual({ ifname: 'eth0', statistics: [] });
    expect(stringSetLength(io, 'eth0', ETH_SS_STATS)).toBe(0);
    expect(calls).toEqual([ETHTOOL_GSSET_INFO, ETHTOOL_GSSET_INFO]);
  });

  it.each([
    ['a newer kernel answers the changed count with none', {}],
    ['an older kernel writes past the buffer: EFAULT', { oldKernel: true }],
  ])('asks again when the count grows between the names and the counters: %s', (_, options) => {
    // Calls 1–3 see 2 queues; from call 3 on (the counters) the driver has 4.
    const { io, calls } = playedKernel((call) => queues(call < 3 ? 2 : 4), options);
    const { statistics: stats } = statistics(io, 'eth0');
    expect(stats.map((s) => s.name)).toEqual(queues(4));
    expect(calls).toEqual([ETHTOOL_GSSET_INFO, ETHTOOL_GSTRINGS, ETHTOOL_GSTATS,
      ETHTOOL_GSSET_INFO, ETHTOOL_GSTRINGS, ETHTOOL_GSTATS]);
  });

  it('asks again when the count shrinks between the set size and the names', () => {
    const { io } = playedKernel((call) => queues(call < 2 ? 4 : 1));
    expect(statistics(io, 'eth0').statistics.map((s) => s.name)).toEqual(queues(1));
  });

  it('fails with EAGAIN, never a mismatched pairing, when the count never settles', () => {
    const { io, calls } = playedKernel((call) => queues(call));
    let error: unknown;
    try {
      statistics(io, 'eth0');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'EAGAIN' });
    expect(calls.length).toBeLessThanOrEqual(15);
  });

  it('passes the ioctl errors through: ENODEV', () => {
    expect(() => statistics(playedKernel(() => queues(1)).io, 'nope0')).toThrow(expect.objectContaining({ code: 'ENODEV' }));
    expect(() => driverInfo(playedKernel(() => queues(1)).io, 'nope0')).toThrow(expect.objectContaining({ code: 'ENODEV' }));
  });
});
