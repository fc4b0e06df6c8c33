/**
 * FlushDetector spots the notifications after which the kernel removes
 * objects of another kind without notifying each one (see FlushTrigger).
 */
import { NLMSG_HDRLEN, type NetlinkMessage } from '../codec/header.js';
import {
  RTM_DELADDR, RTM_DELLINK, RTM_DELNEXTHOP, RTM_NEWLINK, RTM_NEWNEXTHOP, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
  RTNLGRP_LINK, RTNLGRP_NEXTHOP,
} from '../route/constants.js';
import { IFF_LOWER_UP, IFF_RUNNING, IFF_UP, IFINFOMSG_SIZE, linkNameMessage } from '../route/link-decode.js';
import type { FlushTrigger } from './live-kind.js';

// The link state whose change makes IPv4 drop routes (fib_sync_down_dev) or
// mark them linkdown, and makes neighbours and nexthops go.
const LINK_STATE = IFF_UP | IFF_LOWER_UP | IFF_RUNNING;

/**
 * FlushDetector reads trigger notifications and says whether one means the
 * watched table may have changed behind our back. It keeps each link's last
 * seen state so that a link notification that changes nothing that matters
 * (a rename, an MTU change) does not cost a re-dump.
 *
 * @example
 * const detector = new FlushDetector(['link-down', 'nexthop']);
 * monitor({ groups: detector.groups }).subscribe(...);
 * if (detector.triggered(msg)) scheduleRedump();
 */
export class FlushDetector {
  /** The extra multicast groups to join to see the triggers. */
  readonly groups: readonly number[];
  readonly #triggers: ReadonlySet<FlushTrigger>;
  readonly #linkState = new Map<number, number>();

  constructor(triggers: readonly FlushTrigger[]) {
    this.#triggers = new Set(triggers);
    const groups = new Set<number>();
    if (this.#triggers.has('link-down') || this.#triggers.has('link-del')) groups.add(RTNLGRP_LINK);
    if (this.#triggers.has('address-del')) {
      groups.add(RTNLGRP_IPV4_IFADDR);
      groups.add(RTNLGRP_IPV6_IFADDR);
    }
    if (this.#triggers.has('nexthop')) groups.add(RTNLGRP_NEXTHOP);
    this.groups = [...groups];
  }

  /**
   * triggered says whether `msg` (a notification of another kind) calls for a
   * re-read, and names the trigger.
   */
  triggered(msg: NetlinkMessage): FlushTrigger | undefined {
    switch (msg.type) {
      case RTM_DELLINK: {
        if (msg.length >= NLMSG_HDRLEN + IFINFOMSG_SIZE) this.#linkState.delete(linkNameMessage.decode(msg).ifindex);
        return this.#triggers.has('link-del') ? 'link-del' : this.#triggers.has('link-down') ? 'link-down' : undefined;
      }
      case RTM_NEWLINK: {
        // A notification too short for its ifinfomsg says nothing about a link (and must not throw here).
        if (!this.#triggers.has('link-down') || msg.length < NLMSG_HDRLEN + IFINFOMSG_SIZE) return undefined;
        const { ifindex: index, flags } = linkNameMessage.decode(msg);
        const state = flags & LINK_STATE;
        const before = this.#linkState.get(index);
        this.#linkState.set(index, state);
        // A link we have not seen before may have been up a moment ago.
        if (before === undefined ? state !== LINK_STATE : before !== state) return 'link-down';
        return undefined;
      }
      case RTM_DELADDR:
        return this.#triggers.has('address-del') ? 'address-del' : undefined;
      case RTM_NEWNEXTHOP: case RTM_DELNEXTHOP:
        return this.#triggers.has('nexthop') ? 'nexthop' : undefined;
      default:
        return undefined;
    }
  }
}
