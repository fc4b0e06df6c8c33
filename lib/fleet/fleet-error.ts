/**
 * FleetError: what the fleet module raises — the NATS client missing, the
 * server unreachable, a host name or a stored entry it cannot use.
 */
import { NetlinkError } from '../errors.js';

/**
 * FleetErrorCode says what went wrong: `'ENOPKG'` the optional `nats`
 * package is not installed; `'ECONNREFUSED'` no NATS server answered;
 * `'EINVAL'` a host or table name, or an option, that cannot be used;
 * `'EIO'` NATS or JetStream refused or failed an operation (its error is
 * the `cause`).
 *
 * @example
 * if (error instanceof FleetError && error.code === 'ENOPKG') console.error('npm install nats');
 */
export type FleetErrorCode = 'ENOPKG' | 'ECONNREFUSED' | 'EINVAL' | 'EIO';

const ERRNO: Record<FleetErrorCode, number> = { ENOPKG: 65, ECONNREFUSED: 111, EINVAL: 22, EIO: 5 };

/**
 * FleetError is a NetlinkError (branch on `.code`) raised by netlink-rx/fleet.
 *
 * @example
 * const error: unknown = new FleetError('no NATS client', 'ENOPKG');
 * if (error instanceof FleetError && error.code === 'ENOPKG') console.error('npm install nats');
 */
export class FleetError extends NetlinkError {
  declare readonly code: FleetErrorCode;

  constructor(message: string, code: FleetErrorCode, options?: ErrorOptions) {
    super(message, ERRNO[code], code, options);
  }
}

/**
 * fleetError wraps whatever NATS threw as a FleetError (kept as `cause`);
 * a FleetError passes through.
 *
 * @example
 * kv.put(key, value).catch((e: unknown) => subscriber.error(fleetError(e, `put ${key}`)));
 */
export function fleetError(error: unknown, doing: string): FleetError {
  if (error instanceof FleetError) return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const refused = code === 'CONNECTION_REFUSED' || code === 'ECONNREFUSED';
  return new FleetError(`${doing}: ${typeof message === 'string' ? message : String(error)}`,
    refused ? 'ECONNREFUSED' : 'EIO', { cause: error });
}
