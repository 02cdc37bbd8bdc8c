import { UsageError } from './registry-cli.context';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
/** A window beyond a century is a typo, and would overflow a `Date`. */
const MAX_MS = 36_500 * UNIT_MS.d;

/**
 * Reads a duration flag such as `30d`, `12h` or `2w` (also `m` minutes, `s` seconds): a whole
 * number and one lowercase unit, nothing else, so a typo never silently means something else.
 * @returns milliseconds
 * @throws UsageError (exit code 2) for anything else.
 */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d{1,9})([smhdw])$/.exec(text);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
  if (!(ms <= MAX_MS)) throw new UsageError(`${flag} "${text}" is not a duration: give a whole number and a unit, e.g. 30d, 12h or 2w (s, m, h, d, w)`);
  return ms;
}
