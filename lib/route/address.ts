/**
 * Interface addresses: `addresses()`, the dump as an Observable of typed
 * addresses; the types, decoder, request and constants are in
 * address-decode.ts and re-exported here.
 */
import type { Observable } from 'rxjs';
import { dumpObjects } from '../rx/dump-objects.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { addressRequest, addressSelector, type Address, type AddressFilter } from './address-decode.js';

export * from './address-decode.js';

/**
 * addresses dumps interface addresses as a cold Observable of typed
 * addresses, kernel-filtered with strict checking; replies not flagged
 * NLM_F_DUMP_FILTERED are filtered in JS, so the result is the same either way.
 *
 * @example
 * addresses({ family: 'inet' }, { netns: 'blue' }).pipe(toArray()).subscribe(console.log);
 */
export function addresses(filter: AddressFilter = {}, options: DumpOptions = {}): Observable<Address> {
  return dumpObjects(addressRequest(filter), addressSelector(filter), { strictCheck: true, ...options });
}
