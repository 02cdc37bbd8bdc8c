import type { DistinguishedName, DnAttribute } from './parsed-certificate';
import { type Asn1, UNIVERSAL, T, children, expect, malformed, oidOf, toDer } from './asn1.reader';

/** RFC 4514 §3 short names, plus the ones operators expect to read in logs. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a DirectoryString-like value; `undefined` for non-string types (rendered as #hex). */
function decodeString(node: Asn1): string | undefined {
  if (node.tagClass !== UNIVERSAL || typeof node.value !== 'string') return undefined;
  const raw = node.value;
  switch (node.type as number) {
    case T.UTF8:
      if (!/[\x80-\xff]/.test(raw)) return raw; // ASCII: the bytes are the text
      try {
        return utf8.decode(Buffer.from(raw, 'latin1'));
      } catch {
        return malformed('Name: UTF8String is not valid UTF-8');
      }
    case 18: // NumericString
    case 19: // PrintableString
    case 20: // TeletexString (read as Latin-1, as most stacks do)
    case 22: // IA5String
    case 26: // VisibleString
      return raw;
    case 30: // BMPString
      if (raw.length % 2) malformed('Name: odd-length BMPString');
      return Buffer.from(raw, 'latin1').swap16().toString('utf16le');
    case 28: {
      // UniversalString (UCS-4 big-endian)
      if (raw.length % 4) malformed('Name: bad UniversalString length');
      const b = Buffer.from(raw, 'latin1');
      let out = '';
      for (let i = 0; i < b.length; i += 4) out += String.fromCodePoint(b.readUInt32BE(i));
      return out;
    }
    default:
      return undefined;
  }
}

/** RFC 4514 §2.4 escaping of one attribute value. */
export function escapeRfc4514(value: string): string {
  if (!/["+,;<>\\\0]|^[ #]| $/.test(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\0') out += '\\00';
    else if ('"+,;<>\\'.includes(c)) out += '\\' + c;
    else if ((i === 0 && (c === ' ' || c === '#')) || (i === value.length - 1 && c === ' ')) out += '\\' + c;
    else out += c;
  }
  return out;
}

/** RFC 5280 §7.1-style comparison form: case-folded, internal whitespace collapsed, trimmed. */
function normalizeValue(value: string): string {
  // Fast path for the usual value: no whitespace to fold, no separator characters to escape.
  // eslint-disable-next-line no-control-regex -- U+0000 and U+0001 are the key's own separators
  if (!/[\s\u0000\u0001\\]/.test(value)) return value.toLowerCase();
  // Separator characters of the key are escaped so no two names can collide.
  return (
    value
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim()
      // eslint-disable-next-line no-control-regex -- escapes the key's separators, see above
      .replace(/[\u0000\u0001\\]/g, (c) => '\\' + c.charCodeAt(0))
  );
}

/** The RFC 4514 rendering of decoded RDNs; `hex` maps the attributes rendered as `#...` to that form. */
function render(rdns: readonly DnAttribute[][], hex: ReadonlyMap<DnAttribute, string>): string {
  let out = '';
  for (let r = rdns.length - 1; r >= 0; r--) {
    const rdn = rdns[r];
    if (out) out += ',';
    for (let a = 0; a < rdn.length; a++) {
      const { name, value } = rdn[a];
      out += `${a ? '+' : ''}${name}=${hex.get(rdn[a]) ?? escapeRfc4514(value)}`;
    }
  }
  return out;
}

const NO_HEX: ReadonlyMap<DnAttribute, string> = new Map();

/**
 * A decoded Name. A class, not a literal with a getter: V8 builds literals with accessors on
 * a slow runtime path, and a leaf is decoded per request. The RFC 4514 string is rendered on
 * first read (path validation only compares `normalized`); `#` fields stay out of equality
 * checks and spreads of the data fields.
 */
class DecodedName implements DistinguishedName {
  readonly normalized: string;
  readonly rdns: ReadonlyArray<ReadonlyArray<DnAttribute>>;
  readonly der: Buffer;
  readonly #hex: ReadonlyMap<DnAttribute, string>;
  #rendered: string | undefined;

  constructor(normalized: string, rdns: DnAttribute[][], der: Buffer, hex: ReadonlyMap<DnAttribute, string>) {
    this.normalized = normalized;
    this.rdns = rdns;
    this.der = der;
    this.#hex = hex;
  }

  get rfc4514(): string {
    return (this.#rendered ??= render(this.rdns as DnAttribute[][], this.#hex));
  }
}

/**
 * Decodes an X.501 Name into its RFC 4514 string (most specific RDN first), a comparison
 * key and the RDN list. `der` is the exact encoding from the certificate. The string is
 * rendered on first read: path validation only compares the keys.
 */
export function parseDistinguishedName(node: Asn1, der: Buffer, what: string): DistinguishedName {
  expect(node, UNIVERSAL, T.SEQUENCE, what);
  const rdns: DnAttribute[][] = [];
  let hex: Map<DnAttribute, string> | undefined;
  let normalized = '';
  const sets = children(node, what);
  for (let r = 0; r < sets.length; r++) {
    const set = sets[r];
    expect(set, UNIVERSAL, T.SET, what);
    const atvs = children(set, what);
    if (atvs.length === 0) malformed(`${what}: empty RDN`);
    const rdn: DnAttribute[] = [];
    const keyParts: string[] = [];
    for (const atv of atvs) {
      const [typeNode, valueNode, extra] = children(expect(atv, UNIVERSAL, T.SEQUENCE, what), what);
      if (!valueNode || extra) malformed(`${what}: bad AttributeTypeAndValue`);
      const oid = oidOf(typeNode, what);
      const short = SHORT_NAMES[oid];
      const text = decodeString(valueNode);
      const hexValue = text === undefined || !short ? '#' + toDer(valueNode).toString('hex') : undefined;
      const attribute: DnAttribute = { oid, name: short ?? oid, value: text ?? hexValue! };
      rdn.push(attribute);
      if (hexValue !== undefined) (hex ??= new Map()).set(attribute, hexValue);
      keyParts.push(`${oid}=${text === undefined ? hexValue : normalizeValue(text)}`);
    }
    rdns.push(rdn);
    if (r) normalized += '\u0000';
    normalized += keyParts.length === 1 ? keyParts[0] : keyParts.sort().join('\u0001');
  }
  return new DecodedName(normalized, rdns, der, hex ?? NO_HEX);
}
