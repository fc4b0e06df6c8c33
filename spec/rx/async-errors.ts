/**
 * Counts what escaped a stream asynchronously: `uncaughtException`,
 * `unhandledRejection`, and errors RxJS reports on its own (`config.onUnhandledError`:
 * a throw inside a subscriber callback).
 */
import { config } from 'rxjs';

export interface AsyncErrors {
  readonly errors: unknown[];
  /** Waits a few macrotasks for late reports, stops counting, and returns what was caught. */
  stop(): Promise<unknown[]>;
}

/** watchAsyncErrors starts counting; call `stop()` at the end of the test. */
export function watchAsyncErrors(): AsyncErrors {
  const errors: unknown[] = [];
  const record = (error: unknown) => { errors.push(error); };
  const previous = config.onUnhandledError;
  config.onUnhandledError = record;
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    errors,
    async stop() {
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      config.onUnhandledError = previous;
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
      return errors;
    },
  };
}
