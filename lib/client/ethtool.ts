/**
 * The ethtool client: one namespace's devices as `ethtool` sees them — the
 * ethtool generic netlink family's typed commands, and what only the ethtool
 * ioctl answers (driver information, a driver's own statistics).
 */
import { defer, type Observable } from 'rxjs';
import { constants } from 'node:os';
import { NETLINK_GENERIC } from '../codec/header.js';
import { NetlinkError } from '../errors.js';
import { ethtoolFamily } from '../genl/ethtool.js';
import { driverInfo, statistics } from '../ethtool/ethtool-ioctl.js';
import type { EthtoolDriverInfo, EthtoolIoctl, EthtoolStatistics } from '../ethtool/ethtool-ioctl-decode.js';
import { NetlinkSocket } from '../transport/netlink-socket.js';
import { genl, type GenlFamilyClient, type GenlOptions } from './genl.js';

/**
 * EthtoolClient is `genl().use(ethtoolFamily)` (link modes, link state,
 * channels, rings, coalescing, pause, features, EEE, statistics groups …)
 * plus the ioctl-only queries.
 *
 * @example
 * const client: EthtoolClient = ethtool({ netns: 'blue' });
 */
export interface EthtoolClient extends GenlFamilyClient<typeof ethtoolFamily.commands> {
  /**
   * The driver's identity (`ethtool -i`), from the ETHTOOL_GDRVINFO ioctl.
   * Fails with `ENODEV` for a missing device, `EOPNOTSUPP` for one without a
   * driver to name (lo).
   */
  driverInfo(ifname: string): Observable<EthtoolDriverInfo>;
  /**
   * The driver's own statistics (`ethtool -S`), names and counters in the
   * driver's order; empty when it keeps none.
   */
  statistics(ifname: string): Observable<EthtoolStatistics>;
  /** Closes the client's netlink sockets. Idempotent. */
  close(): void;
}

/**
 * ethtool opens an ethtool client for one network namespace. Its ioctl
 * queries open a socket in the namespace for the call and close it after;
 * they run synchronously on subscribe, as the ioctl does.
 *
 * @example
 * import { ethtool } from 'netlink-rx';
 *
 * const client = ethtool({ netns: 'blue' });
 * client.driverInfo('v0').subscribe((info) => console.log(info.driver, info.version));
 * client.statistics('v0').subscribe(({ statistics }) => {
 *   for (const { name, value } of statistics) console.log(name, value);
 * });
 * client.close();
 */
export function ethtool(options: GenlOptions = {}): EthtoolClient {
  const client = genl(options);
  const { netns, transport } = options;
  /** Runs `query` with an ioctl on a socket of the namespace, closed before the result is emitted. */
  const withIoctl = <T>(query: (io: EthtoolIoctl) => T): Observable<T> => defer(() => {
    const socket = transport ? transport(NETLINK_GENERIC, { netns }) : new NetlinkSocket(NETLINK_GENERIC, { netns });
    try {
      if (!socket.ethtool) {
        throw new NetlinkError('this transport cannot run ethtool ioctls', constants.errno.EOPNOTSUPP, 'EOPNOTSUPP');
      }
      return [query(socket.ethtool.bind(socket))];
    } finally {
      socket.close();
    }
  });
  return {
    ...client.use(ethtoolFamily),
    driverInfo: (ifname) => withIoctl((io) => driverInfo(io, ifname)),
    statistics: (ifname) => withIoctl((io) => statistics(io, ifname)),
    close: () => client.close(),
  };
}
