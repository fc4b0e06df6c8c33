/**
 * How the `ethtool` command words a failed request: strerror() of the
 * errors its requests meet, and the kernel's refusal as
 * nlsock_process_ack() prints it.
 */
import type { NetlinkKernelError } from '../errors.js';

const STRERROR: Readonly<Record<string, string>> = {
  EOPNOTSUPP: 'Operation not supported', ENODEV: 'No such device', EPERM: 'Operation not permitted',
  EINVAL: 'Invalid argument', EBUSY: 'Device or resource busy',
};

/**
 * ethtoolStrerror is strerror() of an error code, for the codes ethtool's
 * requests meet (undefined for others: say the error's own message).
 *
 * @example
 * ethtoolStrerror('ENODEV'); // 'No such device'
 */
export function ethtoolStrerror(code: string): string | undefined {
  return STRERROR[code];
}

/**
 * netlinkErrorText is a kernel refusal as ethtool prints it: the extended
 * ack (with its offset) first, then strerror, each on a `netlink error:` line.
 *
 * @example
 * netlinkErrorText(error); // 'netlink error: no device matches name (offset 24)\nnetlink error: No such device\n'
 */
export function netlinkErrorText(error: NetlinkKernelError): string {
  const ack = error.extAckMessage === undefined ? ''
    : `netlink error: ${error.extAckMessage}${error.extAckOffset === undefined ? '' : ` (offset ${error.extAckOffset})`}\n`;
  return `${ack}netlink error: ${ethtoolStrerror(error.code) ?? error.message}\n`;
}
