import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList, CRLReason, IssuingDistributionPoint } from '@peculiar/asn1-x509';
import { childrenOf, readTlv } from './der.walker';
import type { SignatureAlgorithm } from './signature.verifier';

/**
 * ASN.1 library choice: @peculiar/asn1-schema + @peculiar/asn1-x509 (+ @peculiar/asn1-ocsp).
 * They model CRLs, OCSP requests/responses and their extensions as typed classes, keep the
 * signed bytes (`tbsCertListRaw`, `tbsResponseDataRaw`), are CommonJS (pkijs/asn1js 4 are
 * ESM-only and do not load under our CommonJS jest setup) and are well kept (PeculiarVentures,
 * the pkijs authors). node-forge has no OCSP model, so we would hand-write those schemas.
 * The library does structure only: every signature is verified with node:crypto.
 */

/** One entry of a CRL's revoked list. */
export interface CrlEntry {
  readonly revocationDate: Date;
  /** RFC 5280 CRLReason name, when the entry has one. */
  readonly reason?: string;
}

/** A CRL decoded once at load; `revoked` is keyed by serial (lowercase hex of the DER INTEGER content). */
export interface ParsedCrl {
  readonly der: Buffer;
  readonly issuerDer: Buffer;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly revoked: ReadonlyMap<string, CrlEntry>;
  /** Distribution point URIs named by an issuingDistributionPoint extension (the CRL's scope). */
  readonly scopeUris?: readonly string[];
  readonly onlyUserCerts: boolean;
  readonly onlyCaCerts: boolean;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly tbs: Uint8Array;
  readonly signature: Uint8Array;
}

const REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', 'unused', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'];
const ISSUING_DP = '2.5.29.28';
const REASON_CODE = '2.5.29.21';
/** Extensions we understand; any other critical one makes the CRL unusable (RFC 5280 §5.2). */
const KNOWN_CRL_EXTENSIONS = new Set(['2.5.29.20', ISSUING_DP, '2.5.29.35', '2.5.29.18', '2.5.29.46']);
const KNOWN_ENTRY_EXTENSIONS = new Set([REASON_CODE, '2.5.29.24']);

/** Thrown for a CRL we cannot use; the message says why. */
export class CrlFormatError extends Error {
  override readonly name = 'CrlFormatError';
}

/** Decodes a DER or PEM (`X509 CRL`) CRL. Structure only: the signature is checked by the store against the issuer. */
export function parseCrl(input: Buffer): ParsedCrl {
  const der = decodePem(input);
  let crl: CertificateList;
  let issuerDer: Buffer;
  try {
    const outer = readTlv(der);
    if (outer.bytes.length !== der.length) throw new Error('trailing bytes');
    crl = AsnConvert.parse(der, CertificateList);
    // tbsCertList = [version?] signature issuer ...: slice the issuer's original bytes for name matching.
    const tbs = childrenOf(childrenOf(outer)[0]);
    issuerDer = Buffer.from(tbs[tbs[0].tag === 0x02 ? 2 : 1].bytes);
  } catch (error) {
    throw new CrlFormatError(`not a CRL: ${(error as Error).message}`);
  }
  const tbs = crl.tbsCertList;
  if (!crl.tbsCertListRaw) throw new CrlFormatError('signed part missing');
  if (!Buffer.from(AsnConvert.serialize(tbs.signature)).equals(Buffer.from(AsnConvert.serialize(crl.signatureAlgorithm)))) {
    throw new CrlFormatError('signature algorithm inside and outside the signed part differ');
  }
  let scope: Pick<ParsedCrl, 'scopeUris' | 'onlyUserCerts' | 'onlyCaCerts'> = { onlyUserCerts: false, onlyCaCerts: false };
  for (const ext of tbs.crlExtensions ?? []) {
    if (ext.critical && !KNOWN_CRL_EXTENSIONS.has(ext.extnID)) throw new CrlFormatError(`unsupported critical CRL extension ${ext.extnID} (delta CRLs are not supported)`);
    if (ext.extnID === ISSUING_DP) scope = parseScope(AsnConvert.parse(ext.extnValue, IssuingDistributionPoint));
  }
  // The index: one Map lookup per request, whatever the CRL's size.
  const revoked = new Map<string, CrlEntry>();
  for (const entry of tbs.revokedCertificates ?? []) {
    let reason: string | undefined;
    for (const ext of entry.crlEntryExtensions ?? []) {
      if (ext.critical && !KNOWN_ENTRY_EXTENSIONS.has(ext.extnID)) throw new CrlFormatError(`unsupported critical CRL entry extension ${ext.extnID} (indirect CRLs are not supported)`);
      if (ext.extnID === REASON_CODE) reason = REASONS[AsnConvert.parse(ext.extnValue, CRLReason).reason];
    }
    revoked.set(Buffer.from(entry.userCertificate).toString('hex'), { revocationDate: entry.revocationDate.getTime(), reason });
  }
  return {
    der,
    issuerDer,
    thisUpdate: tbs.thisUpdate.getTime(),
    nextUpdate: tbs.nextUpdate?.getTime(),
    revoked,
    ...scope,
    signatureAlgorithm: crl.signatureAlgorithm,
    tbs: new Uint8Array(crl.tbsCertListRaw),
    signature: new Uint8Array(crl.signature),
  };
}

function parseScope(idp: IssuingDistributionPoint): Pick<ParsedCrl, 'scopeUris' | 'onlyUserCerts' | 'onlyCaCerts'> {
  if (idp.indirectCRL || idp.onlyContainsAttributeCerts || idp.onlySomeReasons !== undefined) {
    throw new CrlFormatError('indirect, attribute-certificate and reason-partitioned CRLs are not supported');
  }
  let scopeUris: string[] | undefined;
  if (idp.distributionPoint !== undefined) {
    if (!idp.distributionPoint.fullName) throw new CrlFormatError('issuingDistributionPoint by relative name is not supported');
    // Other name forms cannot match a certificate's URI distribution points.
    scopeUris = idp.distributionPoint.fullName.map((name) => name.uniformResourceIdentifier).filter((uri): uri is string => !!uri);
  }
  return { scopeUris, onlyUserCerts: idp.onlyContainsUserCerts, onlyCaCerts: idp.onlyContainsCACerts };
}

function decodePem(input: Buffer): Buffer {
  const text = input.subarray(0, 64).toString('latin1');
  if (!text.includes('-----BEGIN')) return input;
  const match = /-----BEGIN X509 CRL-----([A-Za-z0-9+/=\s]+)-----END X509 CRL-----/.exec(input.toString('latin1'));
  if (!match) throw new CrlFormatError('PEM without an X509 CRL block');
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}
