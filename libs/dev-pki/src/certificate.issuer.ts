import { randomBytes, type KeyObject } from 'node:crypto';
import { bitString, derTime, explicit, readChildren, readTlv, sequence, smallInteger, unsignedInteger } from './der';
import { encodeDn } from './dn.encoder';
import { encodeExtensions } from './extensions.encoder';
import { generateKeyPair, isExpensiveKind } from './key-pair';
import { toPem } from './pem';
import { signatureAlgorithmFor } from './signature.algorithm';
import type { CertificateSpec, IssuedCertificate, KeyPair } from './certificate.types';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The exact subject Name bytes of an issued certificate, so issuer and subject match byte for byte. */
export function subjectNameDer(certDer: Buffer): Buffer {
  const tbs = readChildren(certDer, readTlv(certDer))[0];
  const fields = readChildren(certDer, tbs);
  const subject = fields[fields[0].tag === 0xa0 ? 5 : 4];
  return certDer.subarray(subject.offset, subject.end);
}

function resolveKey(spec: CertificateSpec, depth: number): KeyPair {
  const key = spec.key ?? 'p-256';
  if (typeof key !== 'string') return key;
  const fresh = spec.freshKey ?? !isExpensiveKind(key);
  return generateKeyPair(key, { fresh, slot: depth });
}

/** Serial bytes from hex (or 16 random bytes); positivity is enforced by the INTEGER encoder. */
function serialBytes(hex?: string): Buffer {
  if (hex === undefined) return randomBytes(16);
  const clean = hex.replace(/[:\s]/g, '');
  if (!/^[0-9a-fA-F]+$/.test(clean)) throw new TypeError(`dev-pki: serialNumber must be hex, got '${hex}'`);
  return Buffer.from(clean.length % 2 ? `0${clean}` : clean, 'hex');
}

/**
 * Issues an X.509 certificate: TBSCertificate hand-built in DER, signed with node:crypto by the
 * issuer's key (or its own key when `issuer` is absent).
 * @example
 * const root = issueCertificate({ subject: 'CN=Root', ca: true });
 * const leaf = issueCertificate({ subject: 'CN=alice', issuer: root, san: { dns: ['alice.test'] } });
 */
export function issueCertificate(spec: CertificateSpec): IssuedCertificate {
  const depth = spec.issuer ? (spec.issuer.depth ?? 0) + 1 : 0;
  const { privateKey, publicKey } = resolveKey(spec, depth);
  const signerKey: KeyObject = spec.issuer?.privateKey ?? privateKey;
  const algorithm = signatureAlgorithmFor(signerKey, spec.signatureHash);
  const subjectName = encodeDn(spec.subject);
  const issuerName = spec.issuer ? subjectNameDer(spec.issuer.der) : subjectName;
  const now = Date.now();
  const notBefore = spec.notBefore ?? new Date(now - HOUR);
  const notAfter = spec.notAfter ?? new Date(now + 365 * DAY);
  const serial = unsignedInteger(serialBytes(spec.serialNumber));
  const v3 = (spec.version ?? 3) === 3;
  const extensions = v3 ? encodeExtensions(spec, publicKey, spec.issuer?.publicKey) : [];
  const tbs = sequence(
    ...(v3 ? [explicit(0, smallInteger(2))] : []),
    serial,
    algorithm.identifier,
    issuerName,
    sequence(derTime(notBefore), derTime(notAfter)),
    subjectName,
    publicKey.export({ type: 'spki', format: 'der' }),
    ...(extensions.length ? [explicit(3, sequence(...extensions))] : []),
  );
  const der = sequence(tbs, algorithm.identifier, bitString(algorithm.sign(tbs)));
  const serialTlv = readTlv(serial);
  return {
    der,
    pem: toPem(der),
    privateKey,
    publicKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    subject: spec.subject,
    serialNumber: serial.subarray(serialTlv.start, serialTlv.end).toString('hex'),
    depth,
  };
}
