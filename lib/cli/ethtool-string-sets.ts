/**
 * The kernel's global ethtool string sets by id, for naming what replies
 * and notifications give by index (compact bitsets, statistics groups).
 */
import { lastValueFrom, toArray } from 'rxjs';
import type { GenlClient } from '../client/genl.js';
import { ethtoolFamily, type EthtoolStringSet } from '../genl/ethtool.js';

/** One set's strings: `{ index, value }` in the kernel's order. */
export type EthtoolStrings = NonNullable<EthtoolStringSet['strings']>;

/**
 * globalStringSets asks for string sets `sets` in one request and gives
 * each set's strings by its id (a set the kernel does not have is absent).
 *
 * @example
 * (await globalStringSets(client, [ETH_SS_LINK_MODES])).get(ETH_SS_LINK_MODES)?.[0].value; // '10baseT/Half'
 */
export async function globalStringSets(client: GenlClient, sets: readonly number[]): Promise<Map<number | undefined, EthtoolStrings>> {
  const [reply] = await lastValueFrom(client.use(ethtoolFamily).globalStrings({ sets }).pipe(toArray()));
  return new Map((reply?.stringsets ?? []).map((set) => [set.id, set.strings ?? []]));
}
