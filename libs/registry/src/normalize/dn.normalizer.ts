/**
 * Comparison keys for RFC 4514 distinguished names.
 *
 * WHY our own: the principal carries the subject/issuer only as RFC 4514 strings, and the CLI
 * accepts DNs typed by operators, so both sides of a subject / issuer-serial binding must go
 * through one function. It follows RFC 5280 §7.1 in spirit (the same rules as
 * `DistinguishedName.normalized`): attribute types case-folded and OIDs mapped to short names,
 * values unescaped, NFKC, case-folded, surrounding whitespace trimmed and inner runs collapsed,
 * multi-valued RDNs sorted. Output is a canonical RFC 4514-style string.
 */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.9': 'STREET',
  '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.5': 'SERIALNUMBER', '2.5.4.4': 'SN', '2.5.4.42': 'GN',
  '2.5.4.12': 'T', '2.5.4.46': 'DNQUALIFIER', '2.5.4.97': 'ORGANIZATIONIDENTIFIER',
  '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'EMAILADDRESS',
};
const ALIASES: Readonly<Record<string, string>> = { E: 'EMAILADDRESS', EMAIL: 'EMAILADDRESS', USERID: 'UID' };

/** Thrown by `normalizeDn` for a string that is not an RFC 4514 DN. */
export class DnSyntaxError extends Error {
  override readonly name = 'DnSyntaxError';
}

/**
 * Normalizes an RFC 4514 DN into a comparison key: equal names give equal keys.
 * @example normalizeDn('CN = Alice  Smith, O=Example') === 'CN=alice smith,O=example'
 */
export function normalizeDn(rfc4514: string): string {
  const text = rfc4514.trim();
  if (text === '') return '';
  return splitUnescaped(text, ',;')
    .map((rdn) => splitUnescaped(rdn, '+').map(normalizeAttribute).sort().join('+'))
    .join(',');
}

function normalizeAttribute(ava: string): string {
  const eq = ava.indexOf('=');
  if (eq <= 0) throw new DnSyntaxError(`"${ava}" is not type=value`);
  let type = ava.slice(0, eq).trim().toUpperCase();
  if (type.startsWith('OID.')) type = type.slice(4);
  type = SHORT_NAMES[type] ?? ALIASES[type] ?? type;
  const raw = ava.slice(eq + 1).trim();
  // A #-hex value is a BER encoding we cannot case-fold meaningfully: compare it byte for byte.
  if (raw.startsWith('#')) return `${type}=${raw.toLowerCase()}`;
  const value = unescapeValue(raw).normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
  return `${type}=${escapeValue(value)}`;
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
    } else if (chars[i] === '\\' && i + 1 < chars.length) {
      bytes.push(...Buffer.from(chars[++i], 'utf8'));
    } else {
      bytes.push(...Buffer.from(chars[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}
