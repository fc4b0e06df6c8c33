/**
 * watchSource: the live tables of lib/live as the UI backend's LiveSource.
 */
import type { Observable } from 'rxjs';
import type { LiveFilter } from '../live/live-kind.js';
import { watch } from '../live/watch.js';
import type { LiveEvent, LiveSource, LiveTableSpec } from './live-source.js';

/**
 * watchSource opens `watch(kind, filter, { netns })`: list-then-watch with
 * resyncs, shared with any other watcher of the same table in the process.
 *
 * @example
 * import { liveStreams, watchSource } from 'netlink-rx/ui';
 *
 * const streams = liveStreams({ source: watchSource, netns: 'blue' });
 */
export const watchSource: LiveSource = (spec: LiveTableSpec): Observable<LiveEvent> =>
  watch(spec.kind, (spec.filter ?? {}) as LiveFilter<typeof spec.kind>, { netns: spec.netns });
