/**
 * The generic netlink client: one namespace, families resolved by name
 * (cached, kept true by nlctrl's notifications), their dumps as cold
 * Observables through the same engine as every dump, their multicast groups
 * by name.
 */
import { concatMap, defer, filter as filterReplies, from, switchMap, type Observable } from 'rxjs';
import type { NetlinkMessage } from '../codec/header.js';
import { NETLINK_GENERIC } from '../codec/header.js';
import type { FieldValues, MessageDescription } from '../codec/message-description.js';
import { GENL_HDRLEN } from '../genl/genl-constants.js';
import { genlDumpRequest } from '../genl/genl-header.js';
import { familiesRequest, familySelector, type GenlFamily } from '../genl/nlctrl.js';
import { policyRequest, policySelector, type PolicyMessage } from '../genl/policy.js';
import { GenlFamilyNotFoundError } from '../genl/family-not-found-error.js';
import type {
  GenlCommand, GenlFamilyDescription, GenlNotification, GenlNotificationKind, GenlTableFilter, GenlTableRow,
} from '../genl/genl-family.js';
import { NetlinkError } from '../errors.js';
import { genlLiveKind } from '../live/genl-live-kind.js';
import { sharedLiveTable } from '../live/live-registry.js';
import type { LiveTableOptions } from '../live/live-table.js';
import { monitor, type MonitorOverrun, type MonitorSignal } from '../live/monitor.js';
import type { TableEvent } from '../live/table-event.js';
import { watchLiveTable } from '../live/watch.js';
import { dumpObjects } from '../rx/dump-objects.js';
import { SocketPool, type TransportFactory } from '../rx/socket-pool.js';
import { GenlFamilyCache } from './genl-family-cache.js';

/** Options of a generic netlink client. */
export interface GenlOptions {
  /** Network namespace: a name under /run/netns, or a path such as /proc/<pid>/ns/net. */
  netns?: string;
  /** Concurrent dumps at most (sockets of the client's pool). Default 2. */
  poolSize?: number;
  /** Opens sockets (tests: a fake kernel). */
  transport?: TransportFactory;
}

/** What a family dump sends: its attributes, raw or as field values of a description. */
export interface GenlDumpOptions<T> {
  /** Decode replies (and encode `attributes`) with this description of the command's messages. */
  message?: MessageDescription<T>;
  /** The request's attributes: bytes, or field values encoded with `message`. */
  attributes?: Uint8Array | FieldValues;
  /** Extra nlmsg flags. */
  flags?: number;
  /** `false`: a "do" request for one object instead of a dump (see `DumpRequest.dump`). */
  dump?: boolean;
}

/**
 * GenlFamilyClient is a described family's commands as methods: each takes
 * the command's filter and returns a cold Observable of its typed replies.
 *
 * @example
 * const ethtool: GenlFamilyClient<typeof ethtoolFamily.commands> = genl().use(ethtoolFamily);
 */
export type GenlFamilyClient<C> = {
  readonly [K in keyof C]: C[K] extends GenlCommand<infer T, infer F> ? (filter?: F) => Observable<T> : never;
};


/**
 * GenlClient dumps and watches one namespace's generic netlink families.
 * Dumps are cold: the family is resolved and the request sent on subscribe.
 */
export interface GenlClient {
  /** Every family registered in the namespace, freshly dumped. */
  families(): Observable<GenlFamily>;
  /** The family named `name`, from the cache; rejects with `GenlFamilyNotFoundError`. */
  family(name: string): Promise<GenlFamily>;
  /** The attribute policies the running kernel applies to family `name`'s commands (CTRL_CMD_GETPOLICY). */
  policy(name: string, op?: number): Observable<PolicyMessage>;
  /** A dump of command `cmd` of family `name`: reply messages, or objects with `options.message`. */
  dump(name: string, cmd: number): Observable<NetlinkMessage>;
  dump<T>(name: string, cmd: number, options: GenlDumpOptions<T> & { message: MessageDescription<T> }): Observable<T>;
  dump(name: string, cmd: number, options: GenlDumpOptions<never>): Observable<NetlinkMessage>;
  /** Notifications of family `name`'s multicast groups, joined by name. */
  monitor(name: string, groups: readonly string[]): Observable<MonitorSignal>;
  /**
   * A described family's notifications, decoded: its groups joined by name
   * (default: the description's), one `notification` per message the
   * description knows (others are skipped), and overruns as `monitor()`
   * gives them — a message that cannot be decoded is an overrun too (EPROTO).
   */
  notifications<C, N>(family: GenlFamilyDescription<C, N>, groups?: readonly string[]): Observable<GenlNotification<N> | MonitorOverrun>;
  /** A described family's commands as typed dumps (see `describeGenlFamily`, `ethtoolFamily`). */
  use<C>(family: GenlFamilyDescription<C>): GenlFamilyClient<C>;
  /**
   * A described family's table (`events.tables`), list-then-watch with the
   * contract of `watch()`: rows as `add`, `synced`, then `add` / `change`
   * (with `old`) / `remove` as its notifications tell, and a `resync` with
   * only the difference after lost notifications or a periodic re-read
   * (`GenlTable.poll`; `options.poll` overrides it). `filter` is the listing
   * command's, applied to each row. Cold; subscribers of the same family,
   * table, namespace, filter and options share one engine, whose sockets
   * close with the last unsubscribe. A family or group the kernel lacks
   * fails with `GenlFamilyNotFoundError`.
   */
  watch<C, N, W, K extends keyof W & string>(
    family: GenlFamilyDescription<C, N, W>, table: K,
    filter?: GenlTableFilter<GenlFamilyDescription<C, N, W>, K>,
    options?: Omit<LiveTableOptions, 'netns' | 'transport'>,
  ): Observable<TableEvent<GenlTableRow<GenlFamilyDescription<C, N, W>, K>>>;
  /** Closes the client's sockets and stops watching nlctrl. Idempotent. */
  close(): void;
}

// Descriptions by identity: two descriptions of one family (and their tables) never share an engine.
const descriptionIds = new WeakMap<object, number>();
let lastDescriptionId = 0;

/**
 * genl opens a generic netlink client for one network namespace.
 *
 * @example
 * import { genl } from 'netlink-rx';
 *
 * const client = genl({ netns: 'blue' });
 * const ethtool = await client.family('ethtool');
 * console.log(ethtool.id, ethtool.mcastGroups);
 * client.close();
 */
export function genl(options: GenlOptions = {}): GenlClient {
  const { netns, transport } = options;
  const pool = new SocketPool(NETLINK_GENERIC, { netns }, { size: options.poolSize ?? 2, transport });
  const cache = new GenlFamilyCache({ netns, pool, transport });

  function dump<T>(name: string, cmd: number, dumpOptions: GenlDumpOptions<T> = {}): Observable<T | NetlinkMessage> {
    return defer(() => from(cache.resolve(name))).pipe(concatMap((family) => {
      const { message, attributes } = dumpOptions;
      const version = family.version ?? 1;
      const payload = attributes === undefined ? undefined
        : attributes instanceof Uint8Array ? attributes
          : message ? message.encode({ cmd, genlVersion: version }, attributes).subarray(GENL_HDRLEN)
            : undefined;
      if (attributes !== undefined && payload === undefined) {
        throw new TypeError('attributes given as field values need options.message to encode them');
      }
      const request = { ...genlDumpRequest(family.id!, cmd, version, payload), flags: dumpOptions.flags, dump: dumpOptions.dump };
      // The family's own messages only (nlmsg_type is its id); a decoding error fails the dump.
      return message
        ? dumpObjects(request, (msg) => (msg.type === family.id ? message.decode(msg) : undefined), { pool })
        : dumpObjects(request, (msg) => msg, { pool });
    }));
  }

  const monitorGroups = (name: string, groups: readonly string[]): Observable<MonitorSignal> => defer(() => from(cache.resolve(name))).pipe(concatMap((family) => {
    const ids = groups.map((group) => {
      const found = family.mcastGroups?.find((g) => g.name === group)?.id;
      if (found === undefined) throw new GenlFamilyNotFoundError(`${name}/${group}`);
      return found;
    });
    return monitor({ protocol: NETLINK_GENERIC, groups: ids, netns, transport });
  }));

  return {
    families: () => dumpObjects(familiesRequest(), familySelector(), { pool }),
    family: (name) => cache.resolve(name),
    policy: (name, op) => dumpObjects(policyRequest(name, op), policySelector(), { pool }),
    dump: dump as GenlClient['dump'],
    monitor: monitorGroups,
    notifications<C, N>(family: GenlFamilyDescription<C, N>, groups?: readonly string[]) {
      const kinds = Object.entries((family.events?.notifications ?? {}) as Record<string, GenlNotificationKind<unknown>>);
      const byCmd = new Map(kinds.map(([kind, n]) => [n.cmd, { kind, message: n.message }]));
      return defer(() => from(cache.resolve(family.name))).pipe(concatMap((resolved) =>
        monitorGroups(family.name, groups ?? family.events?.groups ?? []).pipe(concatMap((signal) => {
          if (signal.type === 'overrun') return [signal];
          const out: (GenlNotification<N> | MonitorOverrun)[] = [];
          for (const msg of signal.messages) {
            // The genlmsghdr's command is the payload's first byte.
            const known = msg.type === resolved.id ? byCmd.get(msg.data[msg.offset + 16]) : undefined;
            if (!known) continue;
            try {
              out.push({ type: 'notification', kind: known.kind, cmd: msg.data[msg.offset + 16], object: known.message.decode(msg) } as GenlNotification<N>);
            } catch (error) {
              if (!(error instanceof NetlinkError)) throw error;
              out.push({ type: 'overrun', error });
            }
          }
          return out;
        }))));
    },
    use<C>(family: GenlFamilyDescription<C>): GenlFamilyClient<C> {
      const methods: Record<string, (filter?: unknown) => Observable<unknown>> = {};
      for (const [key, command] of Object.entries(family.commands as Record<string, GenlCommand<unknown, unknown>>)) {
        methods[key] = (filter) => {
          const single = filter !== undefined && command.single?.(filter) === true;
          const replies = dump(family.name, command.cmd, {
            message: command.message, attributes: command.request?.(filter) ?? {}, dump: !single,
          });
          const { match } = command;
          return match && filter !== undefined ? replies.pipe(filterReplies((reply) => match(reply, filter))) : replies;
        };
      }
      return methods as GenlFamilyClient<C>;
    },
    watch<C, N, W, K extends keyof W & string>(
      family: GenlFamilyDescription<C, N, W>, table: K,
      filter?: GenlTableFilter<GenlFamilyDescription<C, N, W>, K>,
      watchOptions: Omit<LiveTableOptions, 'netns' | 'transport'> = {},
    ): Observable<TableEvent<GenlTableRow<GenlFamilyDescription<C, N, W>, K>>> {
      type Row = GenlTableRow<GenlFamilyDescription<C, N, W>, K>;
      type Filter = GenlTableFilter<GenlFamilyDescription<C, N, W>, K> | Record<never, never>;
      const description = family as GenlFamilyDescription<unknown, unknown, unknown>;
      let descriptionId = descriptionIds.get(description);
      if (descriptionId === undefined) descriptionIds.set(description, descriptionId = ++lastDescriptionId);
      return defer(() => from(cache.resolve(family.name))).pipe(switchMap((resolved) => {
        const spec = genlLiveKind<Row, Filter>(description, table, resolved);
        // The family's id and groups now: a family registered again is another engine.
        const name = `genl:${descriptionId}:${spec.kind}#${resolved.id}@${spec.groups({}).join(',')}`;
        return watchLiveTable(() => sharedLiveTable(name, spec, filter ?? {}, { ...watchOptions, netns, transport }));
      }));
    },
    close() {
      cache.close();
      pool.close();
    },
  };
}
