/**
 * The attribute-type half of a DN comparison key, shared by the full normalizer and its plain
 * ASCII fast path so both spell every type the same way: case-folded, OIDs mapped to short names.
 */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.4': 'SN',
  '2.5.4.42': 'GN',
  '2.5.4.12': 'T',
  '2.5.4.46': 'DNQUALIFIER',
  '2.5.4.97': 'ORGANIZATIONIDENTIFIER',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'EMAILADDRESS',
};
const ALIASES: Readonly<Record<string, string>> = { E: 'EMAILADDRESS', EMAIL: 'EMAILADDRESS', USERID: 'UID', TITLE: 'T' };
/** A type is a keystring or a dotted OID (RFC 4514 §3); nothing else is folded into one. */
const ATTRIBUTE_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;

/**
 * The comparison form of an attribute type already stripped of formatting spaces, or
 * `undefined` when it is not an RFC 4514 attribute type.
 * @example canonicalAttributeType('oid.2.5.4.3') === 'CN'
 */
export function canonicalAttributeType(trimmed: string): string | undefined {
  let type = trimmed;
  if (/^oid\./i.test(type)) type = type.slice(4);
  if (!ATTRIBUTE_TYPE.test(type)) return undefined;
  // The pattern admits ASCII only, so toUpperCase folds exactly the ASCII letters.
  type = type.toUpperCase();
  return SHORT_NAMES[type] ?? ALIASES[type] ?? type;
}
