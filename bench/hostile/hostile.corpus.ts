/**
 * Hostile chains against a dev PKI (root -> intermediate -> client), as an attacker who knows the
 * public root and intermediate certificates would build them (issue 13, finding 2). Each
 * category yields requests whose bytes were never seen before (one certificate re-issued per
 * request), so no verdict cache can answer them.
 */
import { randomBytes } from 'node:crypto';
import { type DevPki, type IssuedCertificate, type KeyPair, generateKeyPair, issueCertificate } from '@client-cert-auth/dev-pki';
import { hugeExponentKeyPair } from '../../libs/core/src/certificate/validation.spec-helper';

/** One request's certificates: the leaf and the chain the proxy forwards with it. */
export interface HostileRequest {
  readonly leaf: Buffer;
  readonly chain: readonly Buffer[];
}

export interface HostileCategory {
  readonly name: string;
  /** What the old code spent on it, and why. */
  readonly description: string;
  /** A never-seen request of this category. */
  next(): HostileRequest;
}

const subjectOf = (cert: IssuedCertificate) => cert.subject;

/** The SKI extension of `copy`, so name and AKI/SKI matching cannot prune an impostor. */
function skiOf(pki: DevPki): { oid: string; critical: boolean; value: Buffer } {
  const der = pki.intermediate.der;
  const at = der.indexOf(Buffer.from('0603551d0e', 'hex')); // OID 2.5.29.14
  const octets = der.subarray(at + 5 + 2, at + 5 + 2 + 2 + der[at + 5 + 3]); // OCTET STRING { OCTET STRING ski }
  return { oid: '2.5.29.14', critical: false, value: Buffer.from(octets) };
}

/** A root named like the real one, with a fast key, to sign impostor CAs. */
function fakeRoot(pki: DevPki): IssuedCertificate {
  return issueCertificate({ subject: subjectOf(pki.root), ca: true, key: 'p-256' });
}

/** Nine CAs named like the intermediate whose key has a ~3,070-bit public exponent, and a leaf "issued" by them. */
function hugeExponent(pki: DevPki): HostileCategory {
  const root = fakeRoot(pki);
  const key = hugeExponentKeyPair();
  const ca = () => issueCertificate({ subject: subjectOf(pki.intermediate), issuer: root, key, ca: true });
  const cas = Array.from({ length: 9 }, ca);
  const leaf = issueCertificate({ subject: 'CN=mallory,O=Bench', issuer: cas[0], key: 'p-256', san: { dns: ['mallory.bench.example'] } });
  return {
    name: 'huge RSA exponent',
    description: '9 CAs with a 3,070-bit public exponent (old: one ~10 ms verification per CA)',
    next: () => ({ leaf: leaf.der, chain: [ca().der, ...cas.slice(1).map((c) => c.der)] }),
  };
}

/** The genuine client with nine junk RSA-3072 CAs appended that copy the intermediate's name and SKI. */
function junkCas(pki: DevPki, client: IssuedCertificate, exponent: 'normal' | 'huge'): HostileCategory {
  const root = fakeRoot(pki);
  const ski = skiOf(pki);
  const keys: KeyPair[] = Array.from({ length: 9 }, (_, n) => (exponent === 'huge' ? hugeExponentKeyPair() : generateKeyPair('rsa-3072', { slot: 100 + n })));
  const junk = (key: KeyPair) =>
    issueCertificate({ subject: subjectOf(pki.intermediate), issuer: root, key, ca: true, omitExtensions: ['subjectKeyIdentifier'], extraExtensions: [ski] });
  const fixed = keys.slice(1).map((k) => junk(k).der);
  return {
    name: `genuine client + 9 junk RSA-3072 CAs (${exponent} exponent)`,
    description: "a validating proxy forwards what the client appended; the junk copies the intermediate's name and SKI",
    next: () => ({ leaf: client.der, chain: [junk(keys[0]).der, ...fixed] }),
  };
}

/** Nine P-521 CAs with one name, each signed by the next, no AKI: every pair is a candidate. */
function maze(): HostileCategory {
  const cas: IssuedCertificate[] = [];
  let issuer = issueCertificate({ subject: 'CN=Maze,O=Bench', ca: true, key: 'p-521', omitExtensions: ['authorityKeyIdentifier'] });
  cas.push(issuer);
  for (let n = 1; n < 9; n++)
    cas.push((issuer = issueCertificate({ subject: 'CN=Maze,O=Bench', issuer, key: 'p-521', ca: true, omitExtensions: ['authorityKeyIdentifier'] })));
  const leafKey = generateKeyPair('p-256');
  return {
    name: 'cross-sign maze (P-521)',
    description: '9 same-name P-521 CAs signed by each other, no AKI (old: 64 checks of ~2 ms)',
    next: () => ({
      leaf: issueCertificate({ subject: `CN=maze-${randomBytes(4).toString('hex')},O=Bench`, issuer, key: leafKey, omitExtensions: ['authorityKeyIdentifier'] })
        .der,
      chain: cas.map((c) => c.der),
    }),
  };
}

/** A loop of nine P-521 CAs, each certifying the next, the last certifying the first. */
function loop(): HostileCategory {
  const keys = Array.from({ length: 9 }, () => generateKeyPair('p-521', { fresh: true }));
  const name = (n: number) => `CN=Loop ${n % 9},O=Bench`;
  // CA n is issued by CA n+1 (mod 9): build with a stand-in issuer that carries the right name and key.
  const standIn = (n: number): IssuedCertificate => issueCertificate({ subject: name(n), key: keys[n % 9], ca: true });
  const cas = keys.map((key, n) => issueCertificate({ subject: name(n), issuer: standIn(n + 1), key, ca: true }));
  const leafKey = generateKeyPair('p-256');
  return {
    name: 'loop of 9 P-521 CAs',
    description: 'each CA certified by the next, the last by the first: no anchor is ever reached',
    next: () => ({
      leaf: issueCertificate({ subject: `CN=loop-${randomBytes(4).toString('hex')},O=Bench`, issuer: cas[0], key: leafKey }).der,
      chain: cas.map((c) => c.der),
    }),
  };
}

/** Every category, against `pki`, with `client` the enrolled genuine client. */
export function hostileCategories(pki: DevPki, client: IssuedCertificate): HostileCategory[] {
  return [hugeExponent(pki), junkCas(pki, client, 'huge'), junkCas(pki, client, 'normal'), maze(), loop()];
}
