/**
 * Peer namespace ids: `nsids()`, the RTM_GETNSID dump as an Observable of
 * typed ids. The dump says which ids exist, not which namespace each is:
 * `nsidsOf()` (nsids-of.ts) asks per namespace, as `ip` does to name peers.
 * The description, decoder and requests are in nsid-decode.ts.
 */
import { Observable } from 'rxjs';
import { dump } from '../rx/dump.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { nsidRequest, nsidSelector, type Nsid } from './nsid-decode.js';

export * from './nsid-decode.js';

/**
 * nsids dumps the ids this namespace has given to peer namespaces, as a cold
 * Observable of typed ids (one RTM_NEWNSID each).
 *
 * @example
 * nsids({ netns: 'blue' }).subscribe((id) => console.log(id.nsid));
 */
export function nsids(options: DumpOptions = {}): Observable<Nsid> {
  const request = nsidRequest();
  return new Observable<Nsid>((subscriber) =>
    dump(request, { strictCheck: true, ...options }).subscribe({
      next(msg) {
        let id: Nsid | undefined;
        try {
          id = nsidSelector(msg);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        if (id) subscriber.next(id);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }));
}
