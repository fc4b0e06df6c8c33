/**
 * The connection tracking expectations as a cold Observable:
 * `conntrackExpectations()`. The description, request and selector are in
 * expectation-decode.ts.
 */
import type { Observable } from 'rxjs';
import { dumpObjects } from '../rx/dump-objects.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { expectationSelector, expectationsRequest, type ConntrackExpectation } from './expectation-decode.js';

/**
 * conntrackExpectations dumps a namespace's expectations (what `conntrack
 * -L expect` lists) as a cold Observable of typed expectations, of one family
 * or of all.
 *
 * @example
 * conntrackExpectations({ family: 'inet' }, { netns: 'blue' }).subscribe((e) => console.log(e.helpName, e.tuple?.dport));
 */
export function conntrackExpectations(
  filter: { family?: 'inet' | 'inet6' } = {},
  options: DumpOptions = {},
): Observable<ConntrackExpectation> {
  return dumpObjects(expectationsRequest(filter.family), expectationSelector(filter.family), options);
}
