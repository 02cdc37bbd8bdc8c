import { createHash, type KeyObject } from 'node:crypto';
import {
  bitString,
  derBoolean,
  explicit,
  implicitConstructed,
  implicitPrimitive,
  objectIdentifier,
  octetString,
  readChildren,
  readTlv,
  sequence,
  smallInteger,
} from './der';
import { encodeSanNames, encodeSubtreeNames, uniformResourceIdentifier } from './general-name.encoder';
import { EKU_OIDS, EXTENSION_OIDS, KEY_USAGE_BITS, OID } from './oids';
import type { CertificateSpec } from './certificate.types';

/** One Extension before encoding. */
interface Ext {
  oid: string;
  critical: boolean;
  value: Buffer;
}

/** Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING } — DER omits FALSE. */
export const encodeExtension = (e: Ext): Buffer => sequence(objectIdentifier(e.oid), ...(e.critical ? [derBoolean(true)] : []), octetString(e.value));

/** SHA-1 over the subjectPublicKey BIT STRING contents (RFC 5280 §4.2.1.2 method 1). */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const bits = readChildren(spki, readTlv(spki))[1];
  return createHash('sha1')
    .update(spki.subarray(bits.start + 1, bits.end))
    .digest();
}

/** KeyUsage BIT STRING: minimal length, trailing zero bits counted as unused (DER named-bit rule). */
export function keyUsageBits(names: string[]): Buffer {
  const bits = names.map((n) => {
    const bit = KEY_USAGE_BITS[n];
    if (bit === undefined) throw new TypeError(`dev-pki: unknown keyUsage '${n}'`);
    return bit;
  });
  if (bits.length === 0) return bitString(Buffer.alloc(0));
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc((highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3] |= 0x80 >> (bit & 7);
  return bitString(bytes, bytes.length * 8 - (highest + 1));
}

const ekuOid = (n: string): string => EKU_OIDS[n] ?? (/^[0-2](\.\d+)+$/.test(n) ? n : fail(`unknown extendedKeyUsage '${n}'`));
function fail(message: string): never {
  throw new TypeError(`dev-pki: ${message}`);
}

/** basicConstraints for the spec: CA => cA TRUE (+ pathLen); leaf => empty SEQUENCE (CA:FALSE). */
function basicConstraints(spec: CertificateSpec): Ext {
  const ca = spec.ca;
  const opts = typeof ca === 'object' ? ca : {};
  const body = ca ? [derBoolean(true), ...(opts.pathLen !== undefined ? [smallInteger(opts.pathLen)] : [])] : [];
  return { oid: EXTENSION_OIDS.basicConstraints, critical: opts.critical ?? true, value: sequence(...body) };
}

/**
 * The extensions for a v3 certificate, defaults first, then `extraExtensions` verbatim, minus
 * `omitExtensions`.
 */
export function encodeExtensions(spec: CertificateSpec, subjectKey: KeyObject, issuerKey?: KeyObject): Buffer[] {
  const isCa = Boolean(spec.ca);
  const exts: Ext[] = [basicConstraints(spec)];
  const ku = spec.keyUsage ?? (isCa ? ['keyCertSign', 'cRLSign'] : ['digitalSignature']);
  exts.push({ oid: EXTENSION_OIDS.keyUsage, critical: true, value: keyUsageBits(ku) });
  const eku = spec.extendedKeyUsage ?? (isCa ? [] : ['clientAuth']);
  if (eku.length) exts.push({ oid: EXTENSION_OIDS.extendedKeyUsage, critical: false, value: sequence(...eku.map((n) => objectIdentifier(ekuOid(n)))) });
  const san = spec.san ? encodeSanNames(spec.san) : [];
  if (san.length) exts.push({ oid: EXTENSION_OIDS.subjectAltName, critical: spec.subject.trim() === '', value: sequence(...san) });
  const nc = spec.nameConstraints;
  if (nc) {
    const side = (tag: number, s?: typeof nc.permitted) => {
      const names = s ? encodeSubtreeNames(s) : [];
      return names.length ? [implicitConstructed(tag, ...names.map((n) => sequence(n)))] : [];
    };
    exts.push({ oid: EXTENSION_OIDS.nameConstraints, critical: nc.critical ?? true, value: sequence(...side(0, nc.permitted), ...side(1, nc.excluded)) });
  }
  exts.push({ oid: EXTENSION_OIDS.subjectKeyIdentifier, critical: false, value: octetString(keyIdentifier(subjectKey)) });
  if (issuerKey) exts.push({ oid: EXTENSION_OIDS.authorityKeyIdentifier, critical: false, value: sequence(implicitPrimitive(0, keyIdentifier(issuerKey))) });
  if (spec.crlDistributionPoints?.length) {
    // DistributionPoint { [0] distributionPoint { [0] fullName GeneralNames } }, one per URI.
    const dps = spec.crlDistributionPoints.map((u) => sequence(explicit(0, implicitConstructed(0, uniformResourceIdentifier(u)))));
    exts.push({ oid: EXTENSION_OIDS.crlDistributionPoints, critical: false, value: sequence(...dps) });
  }
  const access = [
    ...(spec.ocspUrls ?? []).map((u) => sequence(objectIdentifier(OID.ocsp), uniformResourceIdentifier(u))),
    ...(spec.caIssuersUrls ?? []).map((u) => sequence(objectIdentifier(OID.caIssuers), uniformResourceIdentifier(u))),
  ];
  if (access.length) exts.push({ oid: EXTENSION_OIDS.authorityInfoAccess, critical: false, value: sequence(...access) });
  const omit = new Set<string>((spec.omitExtensions ?? []).map((n) => EXTENSION_OIDS[n] ?? fail(`unknown extension name '${n}'`)));
  return [...exts.filter((e) => !omit.has(e.oid)), ...(spec.extraExtensions ?? [])].map(encodeExtension);
}
