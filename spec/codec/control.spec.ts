import { describe, expect, it } from 'vitest';
import {
  isInterrupted, isTerminal, kernelError, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_TYPE, parseControl, parseDone, parseError,
} from '../../lib/codec/control.js';
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK_TLVS, NLM_F_DUMP_INTR, readHeader } from '../../lib/codec/header.js';
import { NetlinkDecodeError, NetlinkKernelError } from '../../lib/errors.js';
import { encodeDumpRequest } from '../../lib/rx/dump-request.js';
import { done, nlmsg, nlmsgerr, route, tlv } from '../helpers/fake-kernel.js';

const request = encodeDumpRequest({ protocol: 0, type: 26, payload: new Uint8Array(12) }, 5);
const view = (bytes: Buffer) => readHeader(bytes, 0);
const EINVAL = 22;
const EBUSY = 16;

describe('parseError (struct nlmsgerr)', () => {
  it('reads an acknowledgement as errno 0 and the echoed request type', () => {
    expect(parseError(view(nlmsgerr(5, 1, 0, request, { capped: true })))).toEqual({ errno: 0, requestType: 26 });
  });

  it('reads the errno, the echoed request and the ext-ack TLVs after the full echoed request', () => {
    const bytes = nlmsgerr(5, 1, EINVAL, request, { message: 'Invalid data after header', offset: 20 });
    // Echo not capped: 4 + 28 bytes before the TLVs.
    expect(bytes.readUInt16LE(6) & NLM_F_ACK_TLVS).toBe(NLM_F_ACK_TLVS);
    expect(parseError(view(bytes))).toEqual({
      errno: EINVAL, requestType: 26, extAckMessage: 'Invalid data after header', extAckOffset: 20,
    });
  });

  it('finds the TLVs right after the echoed header when NLM_F_CAPPED is set', () => {
    const bytes = nlmsgerr(5, 1, EINVAL, request, { capped: true, message: 'capped', offset: 4 });
    expect(parseError(view(bytes))).toMatchObject({ extAckMessage: 'capped', extAckOffset: 4 });
  });

  it('reads the other ack attributes and skips one of the wrong size', () => {
    const cookie = Buffer.from([1, 2, 3]);
    const miss = Buffer.alloc(4);
    miss.writeUInt32LE(9);
    const base = nlmsgerr(5, 1, EINVAL, request, { capped: true });
    const payload = Buffer.concat([
      base.subarray(16),
      tlv(NLMSGERR_ATTR_COOKIE, cookie), tlv(NLMSGERR_ATTR_MISS_TYPE, miss), tlv(2 /* OFFS */, Buffer.alloc(2)),
    ]);
    const bytes = nlmsg({ type: NLMSG_ERROR, flags: base.readUInt16LE(6) | NLM_F_ACK_TLVS, seq: 5, pid: 1, payload });
    const details = parseError(view(bytes));
    expect(details.cookie).toEqual(cookie);
    expect(details.missingType).toBe(9);
    expect(details.extAckOffset).toBeUndefined();
  });

  it('ignores TLV bytes unless NLM_F_ACK_TLVS says they are there', () => {
    const bytes = nlmsgerr(5, 1, EINVAL, request, { capped: true, message: 'x' });
    bytes.writeUInt16LE(bytes.readUInt16LE(6) & ~NLM_F_ACK_TLVS, 6);
    expect(parseError(view(bytes)).extAckMessage).toBeUndefined();
  });

  it('fails with EPROTO when struct nlmsgerr does not fit, or error is positive', () => {
    const short = nlmsg({ type: NLMSG_ERROR, seq: 1, pid: 1, payload: Buffer.alloc(8) });
    expect(() => parseError(view(short))).toThrow(NetlinkDecodeError);
    const positive = nlmsgerr(5, 1, -3, request, { capped: true });
    expect(() => parseError(view(positive))).toThrow(expect.objectContaining({ code: 'EPROTO' }));
  });
});

describe('parseError: lengths from the wire', () => {
  // The batch holds 4 bytes before the message: an NLMSGERR_ATTR_MSG header whose
  // text would be the message's own first bytes, were the TLVs looked for there.
  const planted = Buffer.from([8, 0, 1, 0]);
  const withEchoedLength = (echoedLength: number) => {
    const msg = nlmsgerr(5, 1, EINVAL, request, { message: 'the real text' });
    msg.writeUInt32LE(echoedLength, 16 + 4); // the echoed request's nlmsg_len
    const bytes = Buffer.concat([planted, msg]);
    return readHeader(bytes, planted.length);
  };

  it.each([
    ['just below 2^32, where a 32-bit align wrapped to 20 bytes before the message', 0xffff_ffe8],
    ['2^32 - 4, where a 32-bit align wrapped to 0', 0xffff_fffc],
    ['2^31', 0x8000_0000],
    ['one byte past the message', 4 + 28 + 24 + 1],
  ])('reads no ext-ack text when the echoed nlmsg_len is %s', (_name, echoedLength) => {
    const details = parseError(withEchoedLength(echoedLength));
    expect(details).toEqual({ errno: EINVAL, requestType: 26 });
  });

  it('still reads the TLVs when the echoed nlmsg_len is right', () => {
    expect(parseError(withEchoedLength(28)).extAckMessage).toBe('the real text');
  });

  it.each([
    ['NLMSG_ERROR', parseError, nlmsgerr(5, 1, EINVAL, request)],
    ['NLMSG_DONE', parseDone, done(5, 1, EINVAL)],
  ])('fails %s with EPROTO when the message claims bytes outside its buffer', (_name, parse, bytes) => {
    const msg = readHeader(bytes, 0);
    for (const claimed of [{ length: bytes.length + 4 }, { length: 0xffff_fff0 }, { offset: -4 }, { offset: 1e20 }, { length: 8 }]) {
      expect(() => parse({ ...msg, ...claimed })).toThrow(expect.objectContaining({ code: 'EPROTO' }));
    }
  });
});

describe('parseDone', () => {
  it('reads a dump that ended well', () => {
    expect(parseDone(view(done(5, 1)))).toEqual({ errno: 0 });
  });

  it('accepts a DONE without payload as a success', () => {
    const bare = done(5, 1, 0, { bare: true });
    expect(bare.readUInt32LE(0)).toBe(16);
    expect(parseDone(view(bare))).toEqual({ errno: 0 });
  });

  it('reads the negative errno and the ext-ack text of a dump refused after it started', () => {
    expect(parseDone(view(done(5, 1, EBUSY, { message: 'Dump in progress', offset: 32 })))).toEqual({
      errno: EBUSY, extAckMessage: 'Dump in progress', extAckOffset: 32,
    });
  });

  it('fails with EPROTO on a payload of 1 to 3 bytes or a positive result', () => {
    const odd = nlmsg({ type: NLMSG_DONE, seq: 1, pid: 1, payload: Buffer.alloc(2) });
    expect(() => parseDone(view(odd))).toThrow(expect.objectContaining({ code: 'EPROTO' }));
    expect(() => parseDone(view(done(1, 1, -4)))).toThrow(NetlinkDecodeError);
  });
});

describe('control helpers', () => {
  it('parseControl dispatches on the type and ignores data messages', () => {
    expect(parseControl(view(done(1, 1, EINVAL)))).toEqual({ errno: EINVAL });
    expect(parseControl(view(nlmsgerr(1, 1, EINVAL, request)))).toMatchObject({ errno: EINVAL });
    expect(parseControl(view(route(1, 1, 0)))).toBeUndefined();
  });

  it('isTerminal and isInterrupted read the header', () => {
    expect([done(1, 1), nlmsgerr(1, 1, 0, request), route(1, 1, 0)].map((b) => isTerminal(view(b)))).toEqual([true, true, false]);
    expect(isInterrupted(view(done(1, 1, 0, { flags: NLM_F_DUMP_INTR })))).toBe(true);
    expect(isInterrupted(view(route(1, 1, 0)))).toBe(false);
  });

  it('kernelError makes a NetlinkKernelError with code, ext-ack and the request type', () => {
    const error = kernelError({ errno: EINVAL, extAckMessage: 'bad', extAckOffset: 8 }, 26);
    expect(error).toBeInstanceOf(NetlinkKernelError);
    expect(error).toMatchObject({ errno: EINVAL, code: 'EINVAL', extAckMessage: 'bad', extAckOffset: 8, requestType: 26 });
    expect(kernelError({ errno: EINVAL, requestType: 18 }, 26).requestType).toBe(18);
  });
});
