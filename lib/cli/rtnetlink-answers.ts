/**
 * What `ip` prints when the kernel refuses a request (iproute2's
 * lib/libnetlink.c): the extended ack as "Error: MSG." when the kernel gave
 * one, else "RTNETLINK answers: STRERROR"; after a dump that failed, "Dump
 * terminated". nlrx prints the same text and exits as ip does.
 */
import { NetlinkKernelError } from '../errors.js';
import { UsageError } from './cli-context.js';

/** strerror() of the errors a read-only rtnetlink request meets. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory', ENODEV: 'No such device', EINVAL: 'Invalid argument',
  EOPNOTSUPP: 'Operation not supported', EPERM: 'Operation not permitted', EAFNOSUPPORT: 'Address family not supported by protocol',
  ENETUNREACH: 'Network is unreachable', EHOSTUNREACH: 'No route to host', EMSGSIZE: 'Message too long',
  ESRCH: 'No such process', EBUSY: 'Device or resource busy', EACCES: 'Permission denied',
  EAGAIN: 'Resource temporarily unavailable', ENOBUFS: 'No buffer space available',
  EPROTONOSUPPORT: 'Protocol not supported', ENETDOWN: 'Network is down',
};

/** print_ext_ack_msg(): the kernel's text, with a full stop unless it has one. */
function extAckText(message: string): string {
  return `Error: ${message}${message.endsWith('.') ? '' : '.'}`;
}

function strerror(error: NetlinkKernelError): string {
  return STRERROR[error.code] ?? error.message;
}

/**
 * talkError is what ip prints when a "do" request (rtnl_talk: `ip nexthop
 * get`, `ip neigh get`, `ip nexthop show id N`) fails: a UsageError with
 * that text and `exitCode`, or `error` itself when it is not the kernel's.
 *
 * @example
 * try { … } catch (error) { throw talkError(error, 2); }
 */
export function talkError(error: unknown, exitCode: number): unknown {
  if (!(error instanceof NetlinkKernelError)) return error;
  const text = error.extAckMessage ? extAckText(error.extAckMessage) : `RTNETLINK answers: ${strerror(error)}`;
  return new UsageError(text, exitCode);
}

/**
 * dumpError is what ip prints when a dump fails (rtnl_dump_done /
 * rtnl_dump_error, then "Dump terminated"): the extended ack if any, else
 * strerror except for ENOENT and EOPNOTSUPP, which ip leaves unsaid.
 *
 * @example
 * try { … } catch (error) { throw dumpError(error, 2); }
 */
export function dumpError(error: unknown, exitCode: number): unknown {
  if (!(error instanceof NetlinkKernelError)) return error;
  let text = '';
  if (error.extAckMessage) text = `${extAckText(error.extAckMessage)}\n`;
  else if (error.code === 'EMSGSIZE') text = 'Error: Buffer too small for object.\n';
  else if (error.code !== 'ENOENT' && error.code !== 'EOPNOTSUPP') text = `RTNETLINK answers: ${strerror(error)}\n`;
  return new UsageError(`${text}Dump terminated`, exitCode);
}
