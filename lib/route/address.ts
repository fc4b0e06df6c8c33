/**
 * Interface addresses: `addresses()`, the dump as an Observable of typed
 * addresses; the types, decoder, request and constants are in
 * address-decode.ts and re-exported here.
 */
import { Observable } from 'rxjs';
import type { MessageBatch } from '../codec/message.js';
import { dumpBatches } from '../rx/dump-batches.js';
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
  const request = addressRequest(filter);
  const select = addressSelector(filter);
  return new Observable<Address>((subscriber) =>
    // One loop per read, not RxJS operators per message.
    dumpBatches(request, { strictCheck: true, ...options }).subscribe({
      next(batch: MessageBatch) {
        for (let i = 0; i < batch.length && !subscriber.closed; i++) {
          const addr = select(batch[i]);
          if (addr) subscriber.next(addr);
        }
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }));
}
