import type { DistinguishedName, SubjectAltNames } from './parsed-certificate';
import { type Asn1, CONTEXT, T, UNIVERSAL, children, expect, malformed, oidOf, primitive, toDer } from './asn1.reader';
import { parseDistinguishedName } from './distinguished-name.parser';

/** Microsoft UPN otherName. */
export const UPN_OID = '1.3.6.1.4.1.311.20.2.3';

/** A GeneralName decoded to the forms our checks use. */
export type GeneralName =
  | { readonly type: 'dns' | 'email' | 'uri'; readonly value: string }
  | { readonly type: 'ip'; readonly bytes: Buffer }
  | { readonly type: 'directoryName'; readonly name: DistinguishedName }
  | { readonly type: 'otherName'; readonly oid: string; readonly value?: string }
  | { readonly type: 'x400Address' | 'ediPartyName' | 'registeredID' };

function ia5(node: Asn1, what: string): string {
  const value = primitive(node, what);
  // IA5 is 7-bit: a U-label or other non-ASCII text here is a mis-encoded name.
  if (/[^\x20-\x7e]/.test(value)) malformed(`${what}: IA5String contains a non-printable or non-ASCII character`);
  return value;
}

/** Decodes one GeneralName (RFC 5280 §4.2.1.6). */
export function parseGeneralName(node: Asn1, what: string): GeneralName {
  if (node.tagClass !== CONTEXT) malformed(`${what}: GeneralName is not context-tagged`);
  switch (node.type as number) {
    case 0: {
      const [typeId, explicit, extra] = children(node, what);
      if (!explicit || extra || explicit.tagClass !== CONTEXT || explicit.type !== 0) malformed(`${what}: bad otherName`);
      const oid = oidOf(typeId, what);
      if (oid !== UPN_OID) return { type: 'otherName', oid };
      const [inner] = children(explicit, what);
      const utf8 = expect(inner, UNIVERSAL, T.UTF8, what);
      return { type: 'otherName', oid, value: Buffer.from(primitive(utf8, what), 'latin1').toString('utf8') };
    }
    case 1:
      return { type: 'email', value: ia5(node, what) };
    case 2:
      return { type: 'dns', value: ia5(node, what) };
    case 6:
      return { type: 'uri', value: ia5(node, what) };
    case 7:
      return { type: 'ip', bytes: Buffer.from(primitive(node, what), 'latin1') };
    case 4: {
      const [name, extra] = children(node, what);
      if (!name || extra) malformed(`${what}: bad directoryName`);
      return { type: 'directoryName', name: parseDistinguishedName(name, toDer(name), what) };
    }
    case 3:
      return { type: 'x400Address' };
    case 5:
      return { type: 'ediPartyName' };
    case 8:
      oidOf({ ...node, tagClass: UNIVERSAL, type: T.OID } as Asn1, what);
      return { type: 'registeredID' };
    default:
      return malformed(`${what}: unknown GeneralName tag [${node.type}]`);
  }
}

/** Text form of a 4- or 16-octet address (IPv6 compressed per RFC 5952). */
export function ipToText(bytes: Buffer): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return malformed('iPAddress is neither 4 nor 16 octets');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Decodes a subjectAltName extension value into names by type. */
export function parseSubjectAltNames(node: Asn1, what: string): { sans: SubjectAltNames; names: GeneralName[] } {
  const names = children(expect(node, UNIVERSAL, T.SEQUENCE, what), what).map((n) => parseGeneralName(n, what));
  if (names.length === 0) malformed(`${what}: empty subjectAltName`);
  const sans = {
    dns: [] as string[],
    uri: [] as string[],
    email: [] as string[],
    ip: [] as string[],
    upn: [] as string[],
    directoryName: [] as DistinguishedName[],
    otherTypes: [] as string[],
  };
  for (const name of names) {
    switch (name.type) {
      case 'dns':
      case 'uri':
      case 'email':
        sans[name.type].push(name.value);
        break;
      case 'ip':
        sans.ip.push(ipToText(name.bytes));
        break;
      case 'directoryName':
        sans.directoryName.push(name.name);
        break;
      case 'otherName':
        if (name.value !== undefined) sans.upn.push(name.value);
        else sans.otherTypes.push(`otherName:${name.oid}`);
        break;
      default:
        sans.otherTypes.push(name.type);
    }
  }
  return { sans, names };
}
