/**
 * Comparison keys for RFC 4514 distinguished names.
 *
 * WHY our own: the principal carries the subject/issuer only as RFC 4514 strings, and the CLI
 * accepts DNs typed by operators, so both sides of a subject / issuer-serial binding must go
 * through one function. Attribute types are case-folded and OIDs mapped to short names, multi-
 * valued RDNs sorted. Values are compared the way RFC 4518 prepares strings for matching, made
 * stricter wherever RFC 4518 would let two names that merely LOOK alike match (an identity
 * decision, where a false match is an impersonation and a false miss only a refusal):
 * - escapes are undone first, then the value is trimmed: an escaped trailing space is data
 *   until it is judged, never eaten as formatting, so `admin\ ` and `admin\\` stay apart;
 * - NFC (canonical equivalence: the same character encoded two ways), not RFC 4518's NFKC:
 *   compatibility folding maps full-width `ＡＤＭＩＮ`, ligatures and `ℴ` (U+2134) onto ASCII;
 * - case folding of ASCII letters only: enough for `CN=Orders Client` typed as `cn=orders client`,
 *   while full Unicode folding brings its own collisions (U+0130, U+017F, final sigma);
 * - insignificant space handling (§2.6.1) for U+0020 only and only at the ends: RFC 4518 maps
 *   NBSP, tabs and every other space to U+0020 and collapses inner runs, which is exactly how
 *   `O=Example  Org` and `O=Example\u00A0Org` came to match `O=Example Org`.
 * Output is a canonical RFC 4514-style string in which every separator inside a value is escaped.
 */
import { canonicalAttributeType } from './dn-attribute.type';
import { normalizePlainDn } from './dn-plain.fast-path';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Thrown by `normalizeDn` for a string that is not an RFC 4514 DN. */
export class DnSyntaxError extends Error {
  override readonly name = 'DnSyntaxError';
}

/**
 * Normalizes an RFC 4514 DN into a comparison key: equal names give equal keys.
 * @example normalizeDn('CN = Alice Smith, O=Example') === 'CN=alice smith,O=example'
 */
export function normalizeDn(rfc4514: string): string {
  // Certificates almost always carry plain ASCII names: those take a single scan (same keys).
  return normalizePlainDn(rfc4514) ?? normalizeAnyDn(rfc4514);
}

/**
 * The general normalizer: escapes, quotes, multi-valued RDNs, hex values, any Unicode. Exported
 * for the differential test of the fast path; callers use `normalizeDn`.
 */
export function normalizeAnyDn(rfc4514: string): string {
  const text = trimUnescapedSpaces(rfc4514);
  if (text === '') return '';
  return splitUnescaped(text, ',;')
    .map((rdn) => splitUnescaped(rdn, '+').map(normalizeAttribute).sort().join('+'))
    .join(',');
}

function normalizeAttribute(ava: string): string {
  const eq = ava.indexOf('=');
  if (eq <= 0) throw new DnSyntaxError(`"${ava}" is not type=value`);
  const written = trimAsciiSpaces(ava.slice(0, eq));
  const type = canonicalAttributeType(written);
  if (type === undefined) throw new DnSyntaxError(`"${written.replace(/^oid\./i, '')}" is not an attribute type`);
  const raw = trimUnescapedSpaces(ava.slice(eq + 1));
  // A #-hex value is a BER encoding we cannot case-fold meaningfully: compare it byte for byte.
  if (raw.startsWith('#')) return `${type}=${foldAsciiLower(raw)}`;
  const value = foldAsciiLower(trimAsciiSpaces(unescapeValue(raw)).normalize('NFC'));
  return `${type}=${escapeValue(value)}`;
}

/** Only U+0020 is an insignificant space; NBSP, tabs, U+3000 and the like are data. */
function trimAsciiSpaces(text: string): string {
  return text.replace(/^ +| +$/g, '');
}

/** Formatting spaces of the string representation: leading ones, and trailing ones not escaped. */
function trimUnescapedSpaces(raw: string): string {
  let end = raw.length;
  while (end > 0 && raw[end - 1] === ' ' && !escapedAt(raw, end - 1)) end--;
  return raw.slice(0, end).replace(/^ +/, '');
}

/** True when the character at `index` follows an odd run of backslashes. */
function escapedAt(text: string, index: number): boolean {
  let slashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

/** ASCII letters only: `toLowerCase` would also map U+0130 and U+212A onto ASCII letters. */
function foldAsciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Splits on separators that are not backslash-escaped and not inside double quotes. */
function splitUnescaped(text: string, separators: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[++i];
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (!quoted && separators.includes(ch)) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (quoted) throw new DnSyntaxError('unterminated quote in DN');
  parts.push(current);
  return parts;
}

function unescapeValue(raw: string): string {
  const unquoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  // Iterate code points, not UTF-16 units, so astral characters survive.
  const chars = Array.from(unquoted);
  const bytes: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const pair = (chars[i + 1] ?? '') + (chars[i + 2] ?? '');
    if (chars[i] === '\\' && /^[0-9a-fA-F]{2}$/.test(pair)) {
      bytes.push(parseInt(pair, 16));
      i += 2;
    } else if (chars[i] === '\\') {
      if (i + 1 >= chars.length) throw new DnSyntaxError('a value ends in a lone backslash');
      bytes.push(...Buffer.from(chars[++i], 'utf8'));
    } else {
      bytes.push(...Buffer.from(chars[i], 'utf8'));
    }
  }
  try {
    // Fatal: two different invalid byte runs must not both become U+FFFD and compare equal.
    return utf8.decode(Buffer.from(bytes));
  } catch {
    throw new DnSyntaxError('a hex-escaped value is not valid UTF-8');
  }
}

/** Every character that could end or split a value is escaped, so distinct values give distinct keys. */
function escapeValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is escaped like the separators
  const separators = /[\\,+"<>;=\u0000]/g;
  return value
    .replace(separators, (c) => (c === '\u0000' ? '\\00' : `\\${c}`))
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}
