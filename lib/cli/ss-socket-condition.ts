/**
 * An ss filter expression as the library's `SocketCondition`: what the inet
 * dumps hand the kernel as bytecode (and re-apply with `matchSocket`), as ss
 * compiles its own expression for the kernel. Only for inet sockets: UNIX
 * name patterns and `autobound` have no kernel condition, and an expression
 * with them goes to the kernel without one (ss's own check still runs).
 */
import { ipv4Text, ipv6Text } from '../codec/address-text.js';
import type { SocketCondition } from '../sockdiag/socket-filter.js';
import type { SsExpression, SsHostCondition } from './ss-filter-parse.js';
import { AF_INET, AF_INET6 } from './ss-options.js';

const isPort = (port: number) => Number.isInteger(port) && port >= 0 && port <= 0xffff;

function hostMatch(host: SsHostCondition, side: 'src' | 'dst'): SocketCondition | undefined {
  if (host.family !== 0 && host.family !== AF_INET && host.family !== AF_INET6) return undefined;
  const match: { src?: string; dst?: string; srcPort?: number; dstPort?: number } = {};
  if (host.port !== -1) {
    if (!isPort(host.port)) return undefined;
    match[side === 'src' ? 'srcPort' : 'dstPort'] = host.port;
  }
  const prefix = host.prefix;
  if (prefix && prefix.bits > 0) {
    const text = prefix.family === AF_INET ? ipv4Text(prefix.bytes, 0) : ipv6Text(prefix.bytes, 0);
    match[side] = `${text}/${prefix.bits}`;
  }
  return match;
}

/**
 * ssSocketCondition converts a parsed ss expression; undefined when a part
 * of it has no kernel condition. `deviceIndex` resolves `dev` names.
 *
 * @example
 * ssSocketCondition({ kind: 'sport>=', port: 1024 }, () => 0); // { srcPort: { from: 1024 } }
 */
export function ssSocketCondition(expression: SsExpression, deviceIndex: (name: string) => number): SocketCondition | undefined {
  const convert = (e: SsExpression): SocketCondition | undefined => {
    switch (e.kind) {
      case 'and': case 'or': {
        const left = convert(e.left);
        const right = convert(e.right);
        if (left === undefined || right === undefined) return undefined;
        return e.kind === 'and' ? { and: [left, right] } : { or: [left, right] };
      }
      case 'not': {
        const inner = convert(e.of);
        return inner === undefined ? undefined : { not: inner };
      }
      case 'src': case 'dst': return hostMatch(e.host, e.kind);
      case 'sport>=': return isPort(e.port) ? { srcPort: { from: e.port } } : undefined;
      case 'sport<=': return isPort(e.port) ? { srcPort: { to: e.port } } : undefined;
      case 'dport>=': return isPort(e.port) ? { dstPort: { from: e.port } } : undefined;
      case 'dport<=': return isPort(e.port) ? { dstPort: { to: e.port } } : undefined;
      case 'dev': return { ifindex: deviceIndex(e.device) };
      case 'mark': return { mark: { value: e.mark, mask: e.mask } };
      case 'autobound': return undefined;
    }
  };
  return convert(expression);
}
