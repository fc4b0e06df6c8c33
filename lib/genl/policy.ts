/**
 * CTRL_CMD_GETPOLICY described: which attributes the running kernel accepts
 * for a family's commands, and of which types and ranges (enum
 * netlink_policy_type_attr, <linux/netlink.h>).
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { custom, nestedArray, string, u16, u32, u64 } from '../codec/attribute-type.js';
import { compileWalker } from '../codec/compile-decoder.js';
import type { NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import { eachAttribute } from '../codec/decode-runtime.js';
import type { DumpRequest } from '../rx/dump-request.js';
import {
  CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_OP, CTRL_ATTR_OP_POLICY, CTRL_ATTR_POLICY,
  CTRL_ATTR_POLICY_DO, CTRL_ATTR_POLICY_DUMP, CTRL_CMD_GETPOLICY, GENL_ID_CTRL,
} from './genl-constants.js';
import { genlDumpRequest, genlmsghdr } from './genl-header.js';

// enum netlink_attribute_type
export const NL_ATTR_TYPE_INVALID = 0;
export const NL_ATTR_TYPE_FLAG = 1;
export const NL_ATTR_TYPE_U8 = 2;
export const NL_ATTR_TYPE_U16 = 3;
export const NL_ATTR_TYPE_U32 = 4;
export const NL_ATTR_TYPE_U64 = 5;
export const NL_ATTR_TYPE_S8 = 6;
export const NL_ATTR_TYPE_S16 = 7;
export const NL_ATTR_TYPE_S32 = 8;
export const NL_ATTR_TYPE_S64 = 9;
export const NL_ATTR_TYPE_BINARY = 10;
export const NL_ATTR_TYPE_STRING = 11;
export const NL_ATTR_TYPE_NUL_STRING = 12;
export const NL_ATTR_TYPE_NESTED = 13;
export const NL_ATTR_TYPE_NESTED_ARRAY = 14;
export const NL_ATTR_TYPE_BITFIELD32 = 15;
export const NL_ATTR_TYPE_SINT = 16;
export const NL_ATTR_TYPE_UINT = 17;

// enum netlink_policy_type_attr
export const NL_POLICY_TYPE_ATTR_TYPE = 1;
export const NL_POLICY_TYPE_ATTR_MIN_VALUE_S = 2;
export const NL_POLICY_TYPE_ATTR_MAX_VALUE_S = 3;
export const NL_POLICY_TYPE_ATTR_MIN_VALUE_U = 4;
export const NL_POLICY_TYPE_ATTR_MAX_VALUE_U = 5;
export const NL_POLICY_TYPE_ATTR_MIN_LENGTH = 6;
export const NL_POLICY_TYPE_ATTR_MAX_LENGTH = 7;
export const NL_POLICY_TYPE_ATTR_POLICY_IDX = 8;
export const NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE = 9;
export const NL_POLICY_TYPE_ATTR_BITFIELD32_MASK = 10;
export const NL_POLICY_TYPE_ATTR_PAD = 11;
export const NL_POLICY_TYPE_ATTR_MASK = 12;

/**
 * AttributePolicy is how the kernel checks one attribute of one policy:
 * `type` is an NL_ATTR_TYPE_*, the rest are present when the policy sets them.
 * Nested types name the policy of their content (`policyIdx`).
 *
 * @example
 * if (p.type === NL_ATTR_TYPE_U32 && p.maxValueU !== undefined) console.log(`at most ${p.maxValueU}`);
 */
export interface AttributePolicy {
  /** The policy's index in this dump (0 is the command's top-level policy). */
  policy: number;
  /** The attribute number the policy applies to. */
  attribute: number;
  type?: number;
  minValueS?: bigint;
  maxValueS?: bigint;
  minValueU?: bigint;
  maxValueU?: bigint;
  minLength?: number;
  maxLength?: number;
  policyIdx?: number;
  policyMaxtype?: number;
  bitfield32Mask?: number;
  mask?: bigint;
  unknown?: RawAttribute[];
}

/**
 * OperationPolicy says which policy (an index of the same dump) a command's
 * `do` and `dump` requests are checked against.
 *
 * @example
 * const linkinfo = message.opPolicies?.find((op) => op.cmd === ETHTOOL_MSG_LINKINFO_GET);
 */
export interface OperationPolicy {
  cmd: number;
  do?: number;
  dump?: number;
  unknown?: RawAttribute[];
}

/**
 * PolicyMessage is one reply of a CTRL_CMD_GETPOLICY dump: the family's id and
 * either the policy indexes of commands or attribute policies.
 *
 * @example
 * genl().policy('ethtool').subscribe((m) => m.policies?.forEach((p) => console.log(p.policy, p.attribute, p.type)));
 */
export interface PolicyMessage {
  cmd: number;
  genlVersion: number;
  familyId?: number;
  opPolicies?: OperationPolicy[];
  policies?: AttributePolicy[];
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

const s64 = custom<bigint>('s64', (d, off) => d.readBigInt64LE(off), { size: 8 });

const attributePolicy = attributeSet('NL_POLICY_TYPE_ATTR', {
  type: attr(NL_POLICY_TYPE_ATTR_TYPE, u32),
  minValueS: attr(NL_POLICY_TYPE_ATTR_MIN_VALUE_S, s64),
  maxValueS: attr(NL_POLICY_TYPE_ATTR_MAX_VALUE_S, s64),
  minValueU: attr(NL_POLICY_TYPE_ATTR_MIN_VALUE_U, u64),
  maxValueU: attr(NL_POLICY_TYPE_ATTR_MAX_VALUE_U, u64),
  minLength: attr(NL_POLICY_TYPE_ATTR_MIN_LENGTH, u32),
  maxLength: attr(NL_POLICY_TYPE_ATTR_MAX_LENGTH, u32),
  policyIdx: attr(NL_POLICY_TYPE_ATTR_POLICY_IDX, u32),
  policyMaxtype: attr(NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE, u32),
  bitfield32Mask: attr(NL_POLICY_TYPE_ATTR_BITFIELD32_MASK, u32),
  mask: attr(NL_POLICY_TYPE_ATTR_MASK, u64),
}, { ignore: [NL_POLICY_TYPE_ATTR_PAD], context: ['CTRL_ATTR_POLICY'] });

const walkPolicy = compileWalker(attributePolicy);
const CONTEXT = ['CTRL_ATTR_POLICY'];

/** CTRL_ATTR_POLICY: policy index → attribute number → NL_POLICY_TYPE_ATTR_*, flattened. */
const policies = custom<AttributePolicy[]>('CTRL_ATTR_POLICY', (d, start, length, root, problems) => {
  const list: AttributePolicy[] = [];
  eachAttribute(d, start, start + length, CONTEXT, problems, (policy, from, size) =>
    eachAttribute(d, from, from + size, CONTEXT, problems, (attribute, at, n) => {
      const entry: AttributePolicy = { policy, attribute };
      walkPolicy(d, at, at + n, entry, root, problems);
      list.push(entry);
    }));
  return list;
});

const policyAttributes = attributeSet('CTRL_CMD_GETPOLICY', {
  familyId: attr(CTRL_ATTR_FAMILY_ID, u16),
  opPolicies: attr(CTRL_ATTR_OP_POLICY, nestedArray(attributeSet('CTRL_ATTR_OP_POLICY', {
    do: attr(CTRL_ATTR_POLICY_DO, u32),
    dump: attr(CTRL_ATTR_POLICY_DUMP, u32),
  }), 'cmd')),
  policies: attr(CTRL_ATTR_POLICY, policies),
});

/**
 * policyMessage is a CTRL_CMD_GETPOLICY reply, described.
 *
 * @example
 * const { policies } = policyMessage.decode(msg);
 */
export const policyMessage: MessageDescription<PolicyMessage> = describeMessage<PolicyMessage>('CTRL_CMD_GETPOLICY', genlmsghdr, policyAttributes);

const policyRequestMessage = describeMessage<Record<string, unknown>>('CTRL_CMD_GETPOLICY', genlmsghdr, attributeSet('policy request', {
  name: attr(CTRL_ATTR_FAMILY_NAME, string),
  op: attr(CTRL_ATTR_OP, u32),
}));

/**
 * policyRequest is the CTRL_CMD_GETPOLICY dump of family `name`, for one
 * command (`op`) or all of them.
 *
 * @example
 * dump(policyRequest('ethtool')).pipe(map(policyMessage.decode));
 */
export function policyRequest(name: string, op?: number): DumpRequest {
  const payload = policyRequestMessage.encode({ cmd: CTRL_CMD_GETPOLICY, genlVersion: 2 }, { name, op });
  return genlDumpRequest(GENL_ID_CTRL, CTRL_CMD_GETPOLICY, 2, payload.subarray(4));
}

/**
 * policySelector returns the decoded policy reply of a CTRL_CMD_GETPOLICY
 * dump, or undefined for a message that is not one.
 *
 * @example
 * const select = policySelector();
 */
export function policySelector(): (msg: NetlinkMessage) => PolicyMessage | undefined {
  return (msg) => (msg.type === GENL_ID_CTRL ? policyMessage.decode(msg) : undefined);
}
