/**
 * Connection tracking expectations (ctnetlink_exp), without RxJS: the
 * description of IPCTNL_MSG_EXP_NEW (struct nfgenmsg + CTA_EXPECT_*, numbers
 * big-endian as ctnetlink sends them), the dump request and the selector of
 * `conntrackExpectations()`. An expectation is a connection a helper (FTP,
 * SIP …) or a program told the kernel to expect: the tuple it will have,
 * the mask of what may vary, and the master connection it belongs to.
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { be16, be32, nested, string } from '../codec/attribute-type.js';
import type { NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { conntrackTuple, type ConntrackTuple } from './conntrack-decode.js';
import {
  CTA_EXPECT_CLASS, CTA_EXPECT_FLAGS, CTA_EXPECT_FN, CTA_EXPECT_HELP_NAME, CTA_EXPECT_ID, CTA_EXPECT_MASK,
  CTA_EXPECT_MASTER, CTA_EXPECT_NAT, CTA_EXPECT_NAT_DIR, CTA_EXPECT_NAT_TUPLE, CTA_EXPECT_TIMEOUT, CTA_EXPECT_TUPLE,
  CTA_EXPECT_ZONE, IPCTNL_MSG_EXP_GET, IPCTNL_MSG_EXP_NEW, NETLINK_NETFILTER, NFNETLINK_V0, NFNL_SUBSYS_CTNETLINK_EXP,
} from './netfilter-constants.js';
import { nfgenmsg } from './nfgenmsg.js';

/**
 * ConntrackExpectation is one expectation: the master connection's original
 * tuple, the expected tuple and its mask, seconds left, id, helper, zone,
 * flags (NF_CT_EXPECT_*), class, NAT rewrite, and the helper function's name.
 *
 * @example
 * `${e.tuple?.dst}:${e.tuple?.dport} expected by ${e.helpName ?? 'userspace'} for ${e.master?.src}`;
 */
export interface ConntrackExpectation {
  family: number;
  version: number;
  resId: number;
  master?: ConntrackTuple;
  tuple?: ConntrackTuple;
  mask?: ConntrackTuple;
  timeout?: number;
  id?: number;
  helpName?: string;
  zone?: number;
  flags?: number;
  class?: number;
  nat?: { dir?: number; tuple?: ConntrackTuple; unknown?: RawAttribute[] };
  fn?: string;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

export const expectationMessage: MessageDescription<ConntrackExpectation> = describeMessage<ConntrackExpectation>(
  'IPCTNL_MSG_EXP_NEW', nfgenmsg, attributeSet('CTA_EXPECT', {
    master: attr(CTA_EXPECT_MASTER, conntrackTuple),
    tuple: attr(CTA_EXPECT_TUPLE, conntrackTuple),
    mask: attr(CTA_EXPECT_MASK, conntrackTuple),
    timeout: attr(CTA_EXPECT_TIMEOUT, be32),
    id: attr(CTA_EXPECT_ID, be32),
    helpName: attr(CTA_EXPECT_HELP_NAME, string),
    zone: attr(CTA_EXPECT_ZONE, be16),
    flags: attr(CTA_EXPECT_FLAGS, be32),
    class: attr(CTA_EXPECT_CLASS, be32),
    nat: attr(CTA_EXPECT_NAT, nested(attributeSet('CTA_EXPECT_NAT', {
      dir: attr(CTA_EXPECT_NAT_DIR, be32),
      tuple: attr(CTA_EXPECT_NAT_TUPLE, conntrackTuple),
    }))),
    fn: attr(CTA_EXPECT_FN, string),
  }));

/** `nlmsg_type` of expectation messages: the subsystem in the high byte, the message in the low one. */
export const EXPECTATION_NEW_TYPE = (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW;
const EXPECTATION_GET_TYPE = (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_GET;

/**
 * expectationsRequest builds the IPCTNL_MSG_EXP_GET dump request of one
 * family (AF_INET / AF_INET6) or of every family.
 *
 * @example
 * dump(expectationsRequest('inet'));
 */
export function expectationsRequest(family?: 'inet' | 'inet6'): DumpRequest {
  return {
    protocol: NETLINK_NETFILTER, type: EXPECTATION_GET_TYPE,
    payload: Uint8Array.of(family === 'inet' ? 2 : family === 'inet6' ? 10 : 0, NFNETLINK_V0, 0, 0),
  };
}

/**
 * decodeExpectation decodes one ctnetlink expectation message.
 *
 * @example
 * const expectation = decodeExpectation(msg);
 */
export function decodeExpectation(msg: NetlinkMessage): ConntrackExpectation {
  return expectationMessage.decode(msg);
}

/**
 * expectationSelector is the per-message step of `conntrackExpectations()`:
 * the decoded expectation of its family, or undefined for any other message.
 *
 * @example
 * const select = expectationSelector('inet');
 */
export function expectationSelector(family?: 'inet' | 'inet6'): (msg: NetlinkMessage) => ConntrackExpectation | undefined {
  const af = family === 'inet' ? 2 : family === 'inet6' ? 10 : undefined;
  return (msg) => {
    if (msg.type !== EXPECTATION_NEW_TYPE) return undefined;
    const expectation = decodeExpectation(msg);
    return af === undefined || expectation.family === af ? expectation : undefined;
  };
}
