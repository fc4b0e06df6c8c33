/**
 * struct tcp_info at every length kernels have sent, on crafted bytes: each
 * field is written at its offset in <linux/tcp.h> (the installed header ends
 * at tcpi_snd_wnd, 232 bytes; the later fields are from the kernel's uapi
 * header since 6.2, 6.7 and AccECN), each with a distinct value, so a wrong
 * offset, width or order shows; a field is present exactly when the length
 * covers it. Bit-fields: byte 6 is tcpi_snd_wscale:4 (low nibble) then
 * tcpi_rcv_wscale:4; byte 7 is delivery_rate_app_limited:1 then
 * fastopen_client_fail:2 — GCC's little-endian order, what `ss` reads.
 */
import { describe, expect, it } from 'vitest';
import { NetlinkDecodeError } from '../../lib/errors.js';
import { decodeTcpInfo, TCP_INFO_MIN_SIZE, tcpInfo } from '../../lib/sockdiag/tcp-info.js';

/** [field, offset, width in bytes], from the kernel's struct tcp_info. */
const FIELDS: [string, number, 1 | 2 | 4 | 8][] = [
  ['rto', 8, 4], ['ato', 12, 4], ['sndMss', 16, 4], ['rcvMss', 20, 4], ['unacked', 24, 4], ['sacked', 28, 4],
  ['lost', 32, 4], ['retrans', 36, 4], ['fackets', 40, 4], ['lastDataSent', 44, 4], ['lastAckSent', 48, 4],
  ['lastDataRecv', 52, 4], ['lastAckRecv', 56, 4], ['pmtu', 60, 4], ['rcvSsthresh', 64, 4], ['rtt', 68, 4],
  ['rttvar', 72, 4], ['sndSsthresh', 76, 4], ['sndCwnd', 80, 4], ['advmss', 84, 4], ['reordering', 88, 4],
  ['rcvRtt', 92, 4], ['rcvSpace', 96, 4], ['totalRetrans', 100, 4],
  ['pacingRate', 104, 8], ['maxPacingRate', 112, 8], ['bytesAcked', 120, 8], ['bytesReceived', 128, 8],
  ['segsOut', 136, 4], ['segsIn', 140, 4], ['notsentBytes', 144, 4], ['minRtt', 148, 4], ['dataSegsIn', 152, 4],
  ['dataSegsOut', 156, 4], ['deliveryRate', 160, 8], ['busyTime', 168, 8], ['rwndLimited', 176, 8],
  ['sndbufLimited', 184, 8], ['delivered', 192, 4], ['deliveredCe', 196, 4], ['bytesSent', 200, 8],
  ['bytesRetrans', 208, 8], ['dsackDups', 216, 4], ['reordSeen', 220, 4], ['rcvOoopack', 224, 4], ['sndWnd', 228, 4],
  ['rcvWnd', 232, 4], ['rehash', 236, 4], ['totalRto', 240, 2], ['totalRtoRecoveries', 242, 2], ['totalRtoTime', 244, 4],
  ['receivedCe', 248, 4], ['deliveredE1Bytes', 252, 4], ['deliveredE0Bytes', 256, 4], ['deliveredCeBytes', 260, 4],
  ['receivedE1Bytes', 264, 4], ['receivedE0Bytes', 268, 4], ['receivedCeBytes', 272, 4], ['accecnFailMode', 276, 2],
  ['accecnOptSeen', 278, 2],
];

/** Every size struct tcp_info has had, with the kernel that first sent it. */
const SIZES: [number, string][] = [
  [104, '2.6'], [120, '3.15'], [136, '4.1'], [144, '4.2'], [160, '4.6'], [168, '4.9'], [192, '4.10'], [200, '4.18'],
  [224, '4.19'], [232, '5.4'], [240, '6.2'], [248, '6.7'], [280, 'AccECN'],
];

/** A tcp_info of `length` bytes: u8s 1…6, the bit-field bytes given, then field i holds 1000 + i. */
function crafted(length: number, wscale = 0x73, bits = 0b101): Buffer {
  const b = Buffer.alloc(length);
  b.set([1, 2, 3, 4, 5, 6, wscale, bits]);
  FIELDS.forEach(([, at, width], i) => {
    if (at + width > length) return;
    if (width === 8) b.writeBigUInt64LE(BigInt(1000 + i) << 32n | 7n, at);
    else if (width === 4) b.writeUInt32LE(1000 + i, at);
    else b.writeUInt16LE(1000 + i, at);
  });
  return b;
}

describe('tcp_info', () => {
  it.each(SIZES)('at %i bytes (Linux %s) has exactly the fields that fit', (length) => {
    const info = decodeTcpInfo(crafted(length), 0, length) as unknown as Record<string, unknown>;
    expect(info).toMatchObject({ state: 1, caState: 2, retransmits: 3, probes: 4, backoff: 5, options: 6 });
    FIELDS.forEach(([key, at, width], i) => {
      if (at + width > length) expect(info, key).not.toHaveProperty(key);
      else expect(info[key], key).toEqual(width === 8 ? BigInt(1000 + i) << 32n | 7n : 1000 + i);
    });
  });

  it('reads a longer struct of a newer kernel up to what it knows', () => {
    const info = decodeTcpInfo(crafted(320), 0, 320);
    expect(info.accecnOptSeen).toBe(1000 + FIELDS.length - 1);
    expect(Object.keys(info)).toHaveLength(10 + FIELDS.length);
  });

  it('stops at a field cut by an odd length', () => {
    const info = decodeTcpInfo(crafted(250), 0, 250);
    expect(info.totalRtoTime).toBe(1000 + FIELDS.findIndex(([key]) => key === 'totalRtoTime'));
    expect(info).not.toHaveProperty('receivedCe');
  });

  it('takes snd_wscale from the low nibble and rcv_wscale from the high one', () => {
    expect(decodeTcpInfo(crafted(104, 0x7e), 0, 104)).toMatchObject({ sndWscale: 14, rcvWscale: 7 });
    expect(decodeTcpInfo(crafted(104, 0x09), 0, 104)).toMatchObject({ sndWscale: 9, rcvWscale: 0 });
  });

  it('takes delivery_rate_app_limited from bit 0 and fastopen_client_fail from bits 1–2', () => {
    expect(decodeTcpInfo(crafted(104, 0, 0b001), 0, 104)).toMatchObject({ deliveryRateAppLimited: true, fastopenClientFail: 0 });
    expect(decodeTcpInfo(crafted(104, 0, 0b110), 0, 104)).toMatchObject({ deliveryRateAppLimited: false, fastopenClientFail: 3 });
    expect(decodeTcpInfo(crafted(104, 0, 0b010), 0, 104)).toMatchObject({ deliveryRateAppLimited: false, fastopenClientFail: 1 });
    expect(decodeTcpInfo(crafted(104, 0, 0b11111000), 0, 104)).toMatchObject({ deliveryRateAppLimited: false, fastopenClientFail: 0 });
  });

  it('reads at an offset inside a larger buffer', () => {
    const inner = crafted(232);
    const outer = Buffer.concat([Buffer.alloc(20, 0xff), inner, Buffer.alloc(40, 0xff)]);
    expect(decodeTcpInfo(outer, 20, 232)).toEqual(decodeTcpInfo(inner, 0, 232));
  });

  it('keeps 64-bit fields exact, an unlimited max_pacing_rate too', () => {
    const b = crafted(136);
    b.writeBigUInt64LE(0xffff_ffff_ffff_ffffn, 112);
    b.writeBigUInt64LE(2n ** 60n + 3n, 120);
    const info = decodeTcpInfo(b, 0, 136);
    expect(info.maxPacingRate).toBe(0xffff_ffff_ffff_ffffn);
    expect(info.bytesAcked).toBe(2n ** 60n + 3n);
  });

  it('refuses fewer bytes than the oldest struct, or a length past the buffer, with a NetlinkDecodeError', () => {
    expect(TCP_INFO_MIN_SIZE).toBe(104);
    expect(tcpInfo.minSize).toBe(104);
    expect(() => decodeTcpInfo(crafted(103), 0, 103)).toThrow(NetlinkDecodeError);
    expect(() => decodeTcpInfo(crafted(120), 20, 120)).toThrow(NetlinkDecodeError);
  });

  it('gives every object of one length the same fields in the same order', () => {
    expect(Object.keys(decodeTcpInfo(crafted(200), 0, 200))).toEqual(Object.keys(decodeTcpInfo(crafted(200, 1, 1), 0, 200)));
    expect(Object.keys(decodeTcpInfo(crafted(280), 0, 280)).slice(10)).toEqual(FIELDS.map(([key]) => key));
  });
});
