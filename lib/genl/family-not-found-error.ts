import { constants } from 'node:os';
import { NetlinkError } from '../errors.js';

/**
 * GenlFamilyNotFoundError says a generic netlink family is not registered in
 * the namespace: its module is not loaded, or the kernel was built without
 * it (wireguard, nl80211, devlink …). `.code` is `'ENOENT'`; `.family` names it.
 *
 * @example
 * genl().family('wireguard').catch((e) => { if (e instanceof GenlFamilyNotFoundError) console.log(e.family); });
 */
export class GenlFamilyNotFoundError extends NetlinkError {
  readonly family: string;

  constructor(family: string) {
    super(`generic netlink family "${family}" is not registered in this namespace (module not loaded?)`,
      constants.errno.ENOENT, 'ENOENT');
    this.family = family;
  }
}
