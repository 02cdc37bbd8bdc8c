import * as ipaddr from 'ipaddr.js';
import { explicit, implicitConstructed, implicitPrimitive, objectIdentifier, utf8String } from './der';
import { encodeDn } from './dn.encoder';
import { OID } from './oids';

/** Subject alternative names by kind. */
export interface SubjectAltNames {
  dns?: string[];
  uri?: string[];
  email?: string[];
  ip?: string[];
  upn?: string[];
}

/** Name-constraint subtrees by kind; `ip` entries are CIDR ('10.0.0.0/8', 'fd00::/8'). */
export interface GeneralSubtrees {
  dns?: string[];
  email?: string[];
  uri?: string[];
  ip?: string[];
  directoryName?: string[];
}

export const rfc822Name = (v: string): Buffer => implicitPrimitive(1, Buffer.from(v, 'latin1'));
export const dnsName = (v: string): Buffer => implicitPrimitive(2, Buffer.from(v, 'latin1'));
export const directoryName = (dn: string): Buffer => explicit(4, encodeDn(dn)); // Name is a CHOICE: explicit tag
export const uniformResourceIdentifier = (v: string): Buffer => implicitPrimitive(6, Buffer.from(v, 'latin1'));

/** iPAddress with raw bytes: 4/16 for a SAN, 8/32 (address + mask) for a name constraint. */
export const ipAddress = (bytes: Buffer): Buffer => implicitPrimitive(7, bytes);

/** otherName UPN (Microsoft 1.3.6.1.4.1.311.20.2.3) as [0] EXPLICIT UTF8String. */
export const upnOtherName = (upn: string): Buffer => implicitConstructed(0, objectIdentifier(OID.upn), explicit(0, utf8String(upn)));

/** IPv4/IPv6 literal to its 4/16 bytes. */
export function ipBytes(ip: string): Buffer {
  if (!ipaddr.isValid(ip)) throw new TypeError(`dev-pki: not an IP address: '${ip}'`);
  const addr = ipaddr.parse(ip);
  // Keep IPv4-mapped IPv6 as written: the caller chose the form on purpose.
  return Buffer.from(addr.toByteArray());
}

/** CIDR to address || mask, as name constraints want it (RFC 5280 §4.2.1.10). */
export function cidrBytes(cidr: string): Buffer {
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(cidr);
  } catch {
    throw new TypeError(`dev-pki: not a CIDR: '${cidr}'`);
  }
  const [addr, bits] = parsed;
  const address = Buffer.from(addr.toByteArray());
  const mask = Buffer.alloc(address.length);
  for (let i = 0; i < bits; i++) mask[i >> 3] |= 0x80 >> (i & 7);
  return Buffer.concat([address, mask]);
}

/** GeneralName elements for a SAN extension, in a stable order. */
export function encodeSanNames(san: SubjectAltNames): Buffer[] {
  return [
    ...(san.dns ?? []).map(dnsName),
    ...(san.email ?? []).map(rfc822Name),
    ...(san.uri ?? []).map(uniformResourceIdentifier),
    ...(san.ip ?? []).map((ip) => ipAddress(ipBytes(ip))),
    ...(san.upn ?? []).map(upnOtherName),
  ];
}

/** GeneralName elements for one side of a name-constraints extension. */
export function encodeSubtreeNames(subtrees: GeneralSubtrees): Buffer[] {
  return [
    ...(subtrees.dns ?? []).map(dnsName),
    ...(subtrees.email ?? []).map(rfc822Name),
    ...(subtrees.uri ?? []).map(uniformResourceIdentifier),
    ...(subtrees.ip ?? []).map((cidr) => ipAddress(cidrBytes(cidr))),
    ...(subtrees.directoryName ?? []).map(directoryName),
  ];
}
