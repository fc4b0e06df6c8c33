/**
 * The scripted kernel the specs use: the one shipped as `netlink-rx/testing`
 * (lib/testing/), re-exported so the specs keep their import.
 */
export * from '../../lib/testing/index.js';
export { RTM_NEWROUTE } from '../../lib/route/constants.js';
