/**
 * The address families a filter names, as iproute2 spells them ('inet',
 * 'inet6'), and their AF_* numbers: one mapping for every family's requests,
 * match functions and filters.
 */
import { AF_INET, AF_INET6, AF_UNSPEC } from './constants.js';

/** The address families a filter names, as iproute2 spells them. */
export type InetFamily = 'inet' | 'inet6';

/**
 * familyNumber maps 'inet' / 'inet6' to AF_INET / AF_INET6, and no family to AF_UNSPEC.
 *
 * @example
 * familyNumber('inet6'); // 10
 */
export function familyNumber(family: InetFamily | undefined): number {
  return family === 'inet' ? AF_INET : family === 'inet6' ? AF_INET6 : AF_UNSPEC;
}

/**
 * familyName maps AF_INET / AF_INET6 to 'inet' / 'inet6', and any other family to undefined.
 *
 * @example
 * familyName(2); // 'inet'
 */
export function familyName(family: number): InetFamily | undefined {
  return family === AF_INET ? 'inet' : family === AF_INET6 ? 'inet6' : undefined;
}
