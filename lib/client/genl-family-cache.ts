/**
 * The generic netlink families of one namespace, resolved once and kept true:
 * nlctrl's `notify` group is joined before the families are dumped, and
 * every CTRL_CMD_NEWFAMILY / DELFAMILY / NEWMCAST_GRP / DELMCAST_GRP
 * notification is applied, so a family that goes away, or comes back with a
 * new id, is seen as it is. Lost notifications (an overrun) drop the cache:
 * the next lookup dumps again.
 */
import { lastValueFrom, toArray, type Subscription } from 'rxjs';
import { NETLINK_GENERIC } from '../codec/header.js';
import { GenlFamilyNotFoundError } from '../genl/family-not-found-error.js';
import {
  CTRL_CMD_DELFAMILY, CTRL_CMD_DELMCAST_GRP, CTRL_CMD_NEWFAMILY, CTRL_CMD_NEWMCAST_GRP, GENL_ID_CTRL,
} from '../genl/genl-constants.js';
import { decodeFamily, familiesRequest, type GenlFamily } from '../genl/nlctrl.js';
import { monitor } from '../live/monitor.js';
import { dumpObjects } from '../rx/dump-objects.js';
import type { SocketPool, TransportFactory } from '../rx/socket-pool.js';

/** nlctrl's `notify` multicast group: the controller's groups start at its own id. */
export const GENL_CTRL_NOTIFY = GENL_ID_CTRL;

/** Where the cache dumps and listens. */
export interface GenlFamilyCacheOptions {
  netns?: string;
  pool: SocketPool;
  /** Opens the notification socket (tests: a fake kernel). */
  transport?: TransportFactory;
}

/**
 * GenlFamilyCache resolves family names to families for one namespace (see
 * the module comment). `resolve` rejects with `GenlFamilyNotFoundError` for a
 * family that is not registered.
 *
 * @example
 * const cache = new GenlFamilyCache({ netns: 'blue', pool });
 * const { id, version } = await cache.resolve('ethtool');
 */
export class GenlFamilyCache {
  /** The families by name, while they are known to be true. */
  #families = new Map<string, GenlFamily>();
  /** The running or finished load; undefined when the cache must be (re)loaded. */
  #loading: Promise<void> | undefined;
  /** Bumped when an overrun drops the cache, so a load that raced it is not trusted. */
  #generation = 0;
  #watch: Subscription | undefined;
  #closed = false;

  constructor(readonly options: GenlFamilyCacheOptions) {}

  /**
   * resolve returns the family named `name` as the kernel describes it now.
   *
   * @example
   * const ethtool = await cache.resolve('ethtool');
   */
  async resolve(name: string): Promise<GenlFamily> {
    for (;;) {
      const generation = this.#generation;
      await (this.#loading ??= this.#load());
      if (generation !== this.#generation) continue; // dropped while loading: load again
      const family = this.#families.get(name);
      if (family === undefined) throw new GenlFamilyNotFoundError(name);
      return family;
    }
  }

  /** Stops listening; later lookups load afresh. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#drop();
  }

  async #load(): Promise<void> {
    const generation = this.#generation;
    const early: GenlFamily[] = [];
    let dumped = false;
    // Joined before the dump: a change during the dump is applied after it.
    this.#watch ??= monitor({
      protocol: NETLINK_GENERIC, groups: [GENL_CTRL_NOTIFY], netns: this.options.netns,
      keepAlive: false, transport: this.options.transport,
    }).subscribe({
      next: (signal) => {
        if (signal.type === 'overrun') {
          this.#drop();
          return;
        }
        for (const msg of signal.messages) {
          if (msg.type !== GENL_ID_CTRL) continue;
          let family: GenlFamily;
          try {
            family = decodeFamily(msg);
          } catch {
            this.#drop(); // a notification we cannot read: what it changed is unknown
            return;
          }
          if (dumped) this.#apply(family);
          else early.push(family);
        }
      },
      error: () => this.#drop(),
    });
    try {
      const families = await lastValueFrom(dumpObjects(familiesRequest(),
        (msg) => (msg.type === GENL_ID_CTRL ? decodeFamily(msg) : undefined), { pool: this.options.pool }).pipe(toArray()));
      if (generation !== this.#generation) return;
      this.#families = new Map();
      for (const family of families) if (family.name !== undefined) this.#families.set(family.name, family);
      dumped = true;
      for (const family of early) this.#apply(family);
      if (this.#closed) this.#drop();
    } catch (error) {
      this.#drop();
      throw error;
    }
  }

  /** One nlctrl notification. */
  #apply(change: GenlFamily): void {
    const name = change.name;
    if (name === undefined) return;
    if (change.cmd === CTRL_CMD_NEWFAMILY) this.#families.set(name, change);
    else if (change.cmd === CTRL_CMD_DELFAMILY) this.#families.delete(name);
    else if (change.cmd === CTRL_CMD_NEWMCAST_GRP || change.cmd === CTRL_CMD_DELMCAST_GRP) {
      const family = this.#families.get(name);
      if (family === undefined) return;
      const groups = (family.mcastGroups ?? []).filter((g) => !change.mcastGroups?.some((c) => c.id === g.id));
      if (change.cmd === CTRL_CMD_NEWMCAST_GRP) groups.push(...(change.mcastGroups ?? []));
      this.#families.set(name, { ...family, mcastGroups: groups });
    }
  }

  #drop(): void {
    this.#generation++;
    this.#loading = undefined;
    this.#families = new Map();
    this.#watch?.unsubscribe();
    this.#watch = undefined;
  }
}
