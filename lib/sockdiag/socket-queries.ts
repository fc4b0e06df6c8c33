import { compileSocketFilter } from './filter-bytecode.js';
import { socketRequestHeaders, type SocketFilter } from './socket-filter.js';
import type { SocketQuery } from './socket-query.js';

// Route's constants; families do not import one another.
const AF_INET = 2;
const AF_INET6 = 10;

/**
 * socketQueries plans the dumps of a filter, in `sockets()`'s order: one
 * query per request header the filter needs (`socketRequestHeaders`), inet
 * ones with the extensions `ext` and the filter's conditions compiled for
 * their family (`compileSocketFilter`); and whether each is `required` — an
 * inet dump whose protocol the filter names, another family's dump whose
 * family it names: a kernel without its diag module is then an error — or a
 * default one, left out when the module is missing (`{ family: 'inet' }`
 * does not fail for want of sctp_diag). Throws a NetlinkError (EINVAL) for a
 * malformed filter.
 *
 * @example
 * socketQueries({ family: 'inet6', protocol: 'udp' }, 0);
 * // [{ query: { family: 10, protocol: 17, states: 0xffffffff, ext: 0, bytecode: undefined }, required: true }]
 */
export function socketQueries(filter: SocketFilter, ext: number): { query: SocketQuery; required: boolean }[] {
  const programs = new Map<number, Uint8Array | undefined>();
  const program = (family: number) => {
    if (!programs.has(family)) programs.set(family, compileSocketFilter(filter, family));
    return programs.get(family);
  };
  return socketRequestHeaders(filter).map(({ family, protocol, states }) => family === AF_INET || family === AF_INET6
    ? { query: { family, protocol, states, ext, bytecode: program(family) }, required: filter.protocol !== undefined }
    : { query: { family, protocol, states }, required: filter.family !== undefined });
}
