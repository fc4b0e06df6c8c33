/**
 * Policy routing rules (RTM_GETRULE / RTM_NEWRULE): `rules()`, the dump as an
 * Observable of typed rules; the type, decoder and request are in
 * rule-decode.ts and re-exported here.
 */
import type { Observable } from 'rxjs';
import { dumpObjects } from '../rx/dump-objects.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { ruleRequest, ruleSelector, type Rule, type RuleFilter } from './rule-decode.js';

export * from './rule-decode.js';

/**
 * rules dumps the policy routing rules as a cold Observable of typed rules.
 * With no filter: every family's rules (IPv4, IPv6, multicast routing).
 *
 * @example
 * rules({ family: 'inet' }, { netns: 'blue' }).subscribe((r) => console.log(r.priority, r.table));
 */
export function rules(filter: RuleFilter = {}, options: DumpOptions = {}): Observable<Rule> {
  return dumpObjects(ruleRequest(filter), ruleSelector(filter), { strictCheck: true, ...options });
}
