/**
 * rtnetlinkMonitor: decoded rtnetlink change notifications (what `ip
 * monitor` prints), for when a table is more than you need.
 */
import { Observable } from 'rxjs';
import { NetlinkError } from '../errors.js';
import { NETLINK_ROUTE } from '../codec/header.js';
import { liveKinds, type LiveObject, type RtnetlinkKind } from './live-kind.js';
import { monitor, type MonitorOptions, type MonitorOverrun } from './monitor.js';

/**
 * RtnetlinkNotification is one decoded notification (`type: 'notification'`, as
 * opposed to an overrun's `type: 'overrun'`): which kind, whether the
 * object was created/changed (`'new'`) or removed (`'del'`), the object, and
 * the message's header flags (NLM_F_REPLACE, NLM_F_CREATE …, as the kernel set them).
 *
 * @example
 * if (n.kind === 'links' && n.action === 'del') console.log('gone:', n.object.ifname);
 */
export type RtnetlinkNotification = {
  [K in RtnetlinkKind]: {
    readonly type: 'notification'; readonly kind: K; readonly action: 'new' | 'del'; readonly object: LiveObject<K>; readonly flags: number }
}[RtnetlinkKind];

// The kinds whose notifications come over NETLINK_ROUTE: the default, and all this monitor's socket can hear.
const RTNETLINK_KINDS = (Object.keys(liveKinds) as (keyof typeof liveKinds)[])
  .filter((kind): kind is RtnetlinkKind => liveKinds[kind].protocol === NETLINK_ROUTE);

/** The options of `rtnetlinkMonitor`: those of `monitor()` but the groups, which follow from the kinds. */
export type RtnetlinkMonitorOptions = Omit<MonitorOptions, 'groups' | 'protocol'>;

/**
 * Listens to rtnetlink changes, decoded.
 *
 * <span class="informal">`monitor()` on the groups of `kinds`, each notification decoded
 * into `{ kind, action, object }`; overruns passed on as they are.</span>
 *
 * Hot like `monitor()`: one socket per subscription, joined before
 * `subscribe()` returns. A notification that cannot be decoded becomes an
 * overrun signal (`EPROTO`): it is lost as surely as a dropped one.
 *
 * ## Example
 *
 * ```ts
 * import { rtnetlinkMonitor } from 'netlink-rx';
 *
 * rtnetlinkMonitor(['links', 'routes'], { netns: 'blue' }).subscribe((n) => {
 *   if (n.type === 'overrun') console.log('lost notifications');
 *   else console.log(n.action, n.kind, n.object);
 * });
 * ```
 *
 * @see {@link monitor}
 * @see {@link watch}
 * @param kinds The kinds to listen to (default: every rtnetlink kind).
 * @param options Namespace, receive buffer.
 * @return A hot-per-subscription Observable of notifications and overruns.
 */
export function rtnetlinkMonitor(
  kinds: readonly RtnetlinkKind[] = RTNETLINK_KINDS,
  options: RtnetlinkMonitorOptions = {},
): Observable<RtnetlinkNotification | MonitorOverrun> {
  const specs = kinds.map((kind) => liveKinds[kind]);
  const groups = [...new Set(specs.flatMap((spec) => spec.groups({})))];
  const byType = new Map<number, { kind: RtnetlinkKind; del: boolean }>();
  for (const spec of specs) {
    if (spec.newType !== undefined) byType.set(spec.newType, { kind: spec.kind as RtnetlinkKind, del: false });
    if (spec.delType !== undefined) byType.set(spec.delType, { kind: spec.kind as RtnetlinkKind, del: true });
  }
  return new Observable((subscriber) =>
    monitor({ ...options, groups }).subscribe({
      next(signal) {
        if (signal.type === 'overrun') {
          subscriber.next(signal);
          return;
        }
        for (const msg of signal.messages) {
          const known = byType.get(msg.type);
          if (!known || subscriber.closed) continue;
          let object: unknown;
          try {
            object = liveKinds[known.kind].decode(msg);
          } catch (error) {
            if (!(error instanceof NetlinkError)) throw error;
            subscriber.next({ type: 'overrun', error });
            continue;
          }
          subscriber.next({ type: 'notification', kind: known.kind, action: known.del ? 'del' : 'new', object, flags: msg.flags } as RtnetlinkNotification);
        }
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }));
}
