/**
 * A scripted live table for specs: a LiveSource whose rows and changes the
 * spec drives, counting how many watches were opened and are open.
 */
import { Observable, Subject } from 'rxjs';
import type { LiveEvent, LiveSource } from '../../lib/ui/live-source.js';

export class FakeLiveTable {
  readonly rows = new Map<string, unknown>();
  private readonly changes = new Subject<LiveEvent>();
  /** Subscriptions ever made (kernel watches a real source would open). */
  opened = 0;
  /** Subscriptions open now. */
  active = 0;

  readonly source: LiveSource = () =>
    new Observable<LiveEvent>((subscriber) => {
      this.opened++;
      this.active++;
      for (const [key, value] of this.rows) subscriber.next({ type: 'add', key, value });
      subscriber.next({ type: 'synced' });
      const subscription = this.changes.subscribe(subscriber);
      return () => {
        this.active--;
        subscription.unsubscribe();
      };
    });

  set(key: string, value: unknown): void {
    const old = this.rows.get(key);
    this.rows.set(key, value);
    this.changes.next(old === undefined ? { type: 'add', key, value } : { type: 'change', key, old, value });
  }

  delete(key: string): void {
    const old = this.rows.get(key);
    if (!this.rows.delete(key)) return;
    this.changes.next({ type: 'remove', key, old });
  }

  resync(reason: string): void {
    this.changes.next({ type: 'resync', reason });
  }

  fail(error: Error): void {
    this.changes.error(error);
  }
}
