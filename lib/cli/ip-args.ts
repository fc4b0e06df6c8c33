/**
 * How iproute2 reads the words of a command and how it refuses them
 * (lib/utils.c): the messages and exit codes of `invarg()`, `duparg()`, `incomplete_command()` and
 * `get_prefix()`, so that nlrx fails where and as `ip` fails.
 */
import { parseInetPrefix, type InetPrefix } from '../route/inet-prefix.js';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../route/constants.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { UsageError, type CliFamily } from './cli-context.js';

/** `exit(-1)`, what ip's argument errors exit with. */
export const IP_EXIT_USAGE = 255;

/**
 * invalidArgument is ip's `invarg(msg, arg)`: "Error: argument "ARG" is
 * wrong: MSG", exit 255. Many of ip's messages end in their own newline,
 * which ip prints as an empty line: pass them with it.
 *
 * @example
 * throw invalidArgument('table id value is invalid\n', 'nosuch');
 */
export function invalidArgument(message: string, arg: string): UsageError {
  return new UsageError(`Error: argument "${arg}" is wrong: ${message}`, IP_EXIT_USAGE);
}

/**
 * duplicateArgument is ip's `duparg(key, arg)`, exit 255.
 *
 * @example
 * throw duplicateArgument('dev', 'v0');
 */
export function duplicateArgument(key: string, arg: string): UsageError {
  return new UsageError(`Error: duplicate "${key}": "${arg}" is the second value.`, IP_EXIT_USAGE);
}

/**
 * incompleteCommand is ip's `incomplete_command()`: a keyword without its
 * value, exit 255.
 *
 * @example
 * if (args[i + 1] === undefined) throw incompleteCommand();
 */
export function incompleteCommand(): UsageError {
  return new UsageError('Command line is not complete. Try option "help"', IP_EXIT_USAGE);
}

/**
 * nextArgument returns `args[i]`, or fails as ip's NEXT_ARG() does when the
 * command line ends there.
 *
 * @example
 * const name = nextArgument(args, ++i);
 */
export function nextArgument(args: readonly string[], i: number): string {
  const value = args[i];
  if (value === undefined) throw incompleteCommand();
  return value;
}

/** family_name_verbose() of the families a prefix can be read for. */
function familyWord(family: number): string {
  return family === AF_INET ? 'inet' : family === AF_INET6 ? 'inet6' : family === AF_UNSPEC ? 'any valid' : `${family}`;
}

/**
 * ipPrefix is ip's `get_prefix(arg, family)`: the prefix, or ip's
 * "Error: inet prefix is expected rather than "ARG"." with exit 1.
 *
 * @example
 * ipPrefix('10.0.0.0/8', AF_INET); // { family: 2, bytes: …, bitlen: 8 }
 */
export function ipPrefix(arg: string, family: number): InetPrefix {
  const prefix = parseInetPrefix(arg, family);
  if (prefix === undefined) {
    throw new UsageError(`Error: ${familyWord(family)} prefix is expected rather than "${arg}".`, 1);
  }
  return prefix;
}

/** The AF_* number of each family `ip -f` names. */
const FAMILY_NUMBERS: Record<CliFamily, number> = { inet: AF_INET, inet6: AF_INET6, link: 17, mpls: 28, bridge: 7 };

/**
 * familyNumberOf is the AF_* number of `ip -f FAMILY` (AF_UNSPEC for none):
 * ip puts it in the request whatever the object, and the kernel answers for
 * that family (nothing, an error, or a bridge's entries).
 *
 * @example
 * familyNumberOf('link'); // 17 (AF_PACKET)
 */
export function familyNumberOf(family: CliFamily | undefined): number {
  return family === undefined ? AF_UNSPEC : FAMILY_NUMBERS[family];
}

/**
 * withFamily returns `request` with its header's family set to `family`:
 * ndmsg, fib_rule_hdr and nhmsg all begin with it. The library's filters
 * name only IP families; ip sends any.
 *
 * @example
 * withFamily(ruleRequest({}), familyNumberOf('link'));
 */
export function withFamily(request: DumpRequest, family: number): DumpRequest {
  const payload = Uint8Array.from(request.payload);
  payload[0] = family;
  return { ...request, payload };
}
