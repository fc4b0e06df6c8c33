/**
 * ip's `-c` colours (iproute2 6.1 lib/color.c): interface names, MAC
 * addresses, IPv4 and IPv6 addresses and the UP / DOWN states, each wrapped
 * in its ANSI colour and a reset; bold colours when COLORFGBG says the
 * terminal's background is dark.
 */

/** What ip colours: enum color_attr. */
export type ColorAttr = 'ifname' | 'mac' | 'inet' | 'inet6' | 'up' | 'down';

/** attr_colors_light[] / attr_colors_dark[]: cyan, yellow, magenta, blue, green, red. */
const CODES: Record<ColorAttr, number> = { ifname: 36, mac: 33, inet: 35, inet6: 34, up: 32, down: 31 };

/** set_color_palette(): COLORFGBG's last field 0–6 or 8 is a dark background. */
function darkBackground(): boolean {
  const value = process.env.COLORFGBG;
  const last = value?.includes(';') ? value.slice(value.lastIndexOf(';') + 1) : undefined;
  return last !== undefined && /^[0-68]$/.test(last);
}

let dark: boolean | undefined;

/**
 * paint is color_fprintf(): `text` in the colour of `attr` when `on`, as is
 * otherwise (and for no attribute: an UNKNOWN state is never coloured).
 *
 * @example
 * paint(ctx.color, 'ifname', 'va: '); // '\x1b[36mva: \x1b[0m' with -c
 */
export function paint(on: boolean | undefined, attr: ColorAttr | undefined, text: string): string {
  if (!on || attr === undefined) return text;
  dark ??= darkBackground();
  return `\x1b[${dark ? '1;' : ''}${CODES[attr]}m${text}\x1b[0m`;
}

/**
 * operstateColor is oper_state_color(): UP green, DOWN red, others plain.
 *
 * @example
 * operstateColor(6); // 'up'
 */
export function operstateColor(operstate: number): ColorAttr | undefined {
  return operstate === 6 ? 'up' : operstate === 2 ? 'down' : undefined;
}

/**
 * familyColor is ifa_family_color(): IPv4 magenta, IPv6 blue.
 *
 * @example
 * familyColor(10); // 'inet6'
 */
export function familyColor(family: number): ColorAttr | undefined {
  return family === 2 ? 'inet' : family === 10 ? 'inet6' : undefined;
}
