import { constants } from 'node:os';
import { NetlinkError } from '../errors.js';

/**
 * SockDiagUnavailableError says the kernel has no sock_diag handler for a
 * dump that was asked for: its module is not loaded or not built (sctp_diag,
 * raw_diag, mptcp_diag, af_packet_diag, netlink_diag …), so the kernel
 * answered ENOENT. `.code` is `'ENOENT'`; `.module` names the missing module,
 * `.family` and `.protocol` the request (AF_*, IPPROTO_* or 0).
 *
 * @example
 * sockets({ protocol: 'sctp' }).subscribe({
 *   error: (e) => { if (e instanceof SockDiagUnavailableError) console.log(`no ${e.module} in this kernel`); },
 * });
 */
export class SockDiagUnavailableError extends NetlinkError {
  readonly module: string;
  readonly family: number;
  readonly protocol: number;

  constructor(module: string, family: number, protocol: number, options?: ErrorOptions) {
    super(`sock_diag cannot dump these sockets: ${module} is not available in this kernel (module not loaded?)`,
      constants.errno.ENOENT, 'ENOENT', options);
    this.module = module;
    this.family = family;
    this.protocol = protocol;
  }
}
