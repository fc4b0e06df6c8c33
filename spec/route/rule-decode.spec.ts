/**
 * The rule description on bytes captured from kernel 6.18 (`dump(ruleRequest())`
 * in a namespace after `ip rule add tun_id 0x1234567890 suppress_ifgroup 5
 * table 100 pref 280`), and the one input that is not a rule at all.
 */
import { describe, expect, it } from 'vitest';
import { readHeader } from '../../lib/codec/header.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import { AF_INET, AF_INET6 } from '../../lib/route/constants.js';
import {
  FIB_RULE_HDR_SIZE, FR_ACT_TO_TBL, FRA_PRIORITY, decodeRule, decodeRuleRequest, ruleMessage, ruleRequest,
} from '../../lib/route/rule-decode.js';

const bytes = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

// nlmsghdr (len 80, RTM_NEWRULE, MULTI), fib_rule_hdr (AF_INET, table 100, FR_ACT_TO_TBL), FRA_TABLE 100,
// FRA_SUPPRESS_PREFIXLEN -1, FRA_PROTOCOL 0, FRA_PRIORITY 280, FRA_TUN_ID (be64) 0x1234567890, FRA_SUPPRESS_IFGROUP 5.
const TUN_ID = '50000000 20000200 04000000 fd7a0000 02000000 64000001 00000000 08000f00 64000000 08000e00 ffffffff' +
  '05001500 00000000 08000600 18010000 0c000c00 00000012 34567890 08000d00 05000000';

describe('ruleMessage (RTM_NEWRULE described)', () => {
  it('reads struct fib_rule_hdr and the FRA_* attributes, the tunnel id big-endian', () => {
    const rule = decodeRule(readHeader(bytes(TUN_ID), 0));
    expect(rule).toStrictEqual({
      family: AF_INET, dstLen: 0, srcLen: 0, tos: 0, table: 100, action: FR_ACT_TO_TBL, flags: 0,
      suppressPrefixlen: -1, protocol: 0, priority: 280, tunId: 0x1234567890n, suppressIfgroup: 5,
    });
  });

  it('throws a NetlinkDecodeError for a message shorter than struct fib_rule_hdr', () => {
    const short = bytes(TUN_ID).subarray(0, 16 + FIB_RULE_HDR_SIZE - 1);
    short.writeUInt32LE(short.length, 0);
    expect(() => decodeRule(readHeader(short, 0))).toThrow(NetlinkDecodeError);
    const header = bytes(TUN_ID).subarray(0, 16 + FIB_RULE_HDR_SIZE);
    header.writeUInt32LE(header.length, 0);
    expect(decodeRule(readHeader(header, 0))).toStrictEqual({
      family: AF_INET, dstLen: 0, srcLen: 0, tos: 0, table: 100, action: FR_ACT_TO_TBL, flags: 0,
    });
  });

  it('records a port range cut short and keeps decoding', () => {
    const b = Buffer.concat([bytes(TUN_ID), bytes('06001700 e803 0000')]); // FRA_SPORT_RANGE of 2 bytes
    b.writeUInt32LE(b.length, 0);
    const rule = decodeRule(readHeader(b, 0));
    expect(rule.sportRange).toBeUndefined();
    expect(rule.problems?.map((p) => p.code)).toEqual(['EPROTO']);
    expect(rule.suppressIfgroup).toBe(5);
  });

  it('writes the dump request from the description and reads it back', () => {
    const payload = ruleRequest({ family: 'inet6' }).payload;
    expect(Buffer.from(payload).toString('hex')).toBe('0a0000000000000000000000');
    expect(decodeRuleRequest(payload)).toStrictEqual({ family: 'inet6' });
    expect(ruleMessage.decodePayload(payload).family).toBe(AF_INET6);
    expect(() => decodeRuleRequest(payload.subarray(0, 11))).toThrow(NetlinkDecodeError);
    expect(ruleMessage.attributes.field('priority')?.type).toBe(FRA_PRIORITY);
  });
});
