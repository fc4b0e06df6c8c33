/**
 * `nlrx [-n NETNS] [-j] ethtool -l|-k DEV`: a device's channels or features
 * as the `ethtool` command prints them, over the ethtool generic netlink family (a request
 * for that device alone, so a driver without channels fails as ethtool does:
 * "netlink error: Operation not supported", exit 1).
 */
import { lastValueFrom, toArray } from 'rxjs';
import { UsageError, type CliContext } from '../cli-context.js';
import { channelsFormat, featuresText } from '../ethtool-format.js';
import { objectOutput } from '../object-output.js';
import { genl } from '../../client/genl.js';
import { NetlinkKernelError } from '../../errors.js';
import { ethtoolFamily } from '../../genl/ethtool.js';

const USAGE = 'Usage: nlrx [-n NETNS] [-j] ethtool -l|-k DEV';

/** strerror() of the errors an ethtool request meets, as ethtool prints them. */
const STRERROR: Readonly<Record<string, string>> = {
  EOPNOTSUPP: 'Operation not supported', ENODEV: 'No such device', EPERM: 'Operation not permitted',
  EINVAL: 'Invalid argument', EBUSY: 'Device or resource busy',
};

/**
 * run executes `nlrx ethtool <args>`.
 *
 * @example
 * await run(ctx, 'show', ['-l', 'v0']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  const [option, device] = args;
  if (verb === 'help' || (option !== '-l' && option !== '-k') || device === undefined || args.length !== 2) {
    throw new UsageError(USAGE);
  }
  const client = genl({ netns: ctx.netns });
  const ethtool = client.use(ethtoolFamily);
  try {
    if (option === '-l') {
      const [channels] = await lastValueFrom(ethtool.channels({ ifname: device }).pipe(toArray()));
      const out = objectOutput(ctx, channelsFormat);
      if (channels) out.push(channels);
      out.end();
    } else {
      const [features] = await lastValueFrom(ethtool.features({ ifname: device }).pipe(toArray()));
      if (ctx.json) ctx.write(`${JSON.stringify([features])}\n`);
      else if (features) ctx.write(featuresText(device, features));
    }
  } catch (error) {
    if (!(error instanceof NetlinkKernelError)) throw error;
    // As ethtool's nlsock_process_ack(): the extended ack first, then strerror.
    const ack = error.extAckMessage === undefined ? ''
      : `netlink error: ${error.extAckMessage}${error.extAckOffset === undefined ? '' : ` (offset ${error.extAckOffset})`}\n`;
    throw new UsageError(`${ack}netlink error: ${STRERROR[error.code] ?? error.message}`);
  } finally {
    client.close();
  }
}
