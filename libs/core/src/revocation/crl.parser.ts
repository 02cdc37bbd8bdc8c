import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Extensions, IssuingDistributionPoint } from '@peculiar/asn1-x509';
import { readRevokedEntries, readTime, type CrlEntry } from './crl-entries.reader';
import { childrenOf, readTlv } from './der.walker';

export type { CrlEntry };
import type { SignatureAlgorithm } from './signature.verifier';

/**
 * ASN.1 library choice: @peculiar/asn1-schema + @peculiar/asn1-x509 (+ @peculiar/asn1-ocsp).
 * They model CRLs, OCSP requests/responses and their extensions as typed classes, keep the
 * signed bytes (`tbsResponseDataRaw`), are CommonJS (pkijs/asn1js 4 are
 * ESM-only and do not load under our CommonJS jest setup) and are well kept (PeculiarVentures,
 * the pkijs authors). node-forge has no OCSP model, so we would hand-write those schemas.
 * The library does structure only: every signature is verified with node:crypto. The CRL's
 * outer structure and its revoked list are walked directly (der.walker.ts, crl-entries.reader.ts):
 * the schema parser is too slow for CRLs with many entries.
 */

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

const ISSUING_DP = '2.5.29.28';
const CRL_NUMBER = '2.5.29.20';
/** Extensions we understand; any other critical one makes the CRL unusable (RFC 5280 §5.2). */
const KNOWN_CRL_EXTENSIONS = new Set([CRL_NUMBER, ISSUING_DP, '2.5.29.35', '2.5.29.18', '2.5.29.46']);

/** Thrown for a CRL we cannot use; the message says why. */
export class CrlFormatError extends Error {
  override readonly name = 'CrlFormatError';
}

/** Decodes a DER or PEM (`X509 CRL`) CRL. Structure only: the signature is checked by the store against the issuer. */
export function parseCrl(input: Buffer): ParsedCrl {
  const der = decodePem(input);
  try {
    const outer = readTlv(der);
    if (outer.bytes.length !== der.length) throw new RangeError('trailing bytes');
    const [tbsTlv, outerAlg, signature] = childrenOf(outer);
    if (tbsTlv?.tag !== 0x30 || outerAlg?.tag !== 0x30 || signature?.tag !== 0x03) throw new RangeError('expected tbsCertList, signatureAlgorithm, signature');
    // TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature, issuer, thisUpdate, nextUpdate Time OPTIONAL,
    //   revokedCertificates SEQUENCE OF … OPTIONAL, crlExtensions [0] EXPLICIT Extensions OPTIONAL }
    const fields = childrenOf(tbsTlv);
    if (fields[0]?.tag === 0x02) fields.shift();
    const [innerAlg, issuer, thisUpdate] = fields.splice(0, 3);
    if (!innerAlg || !issuer || !thisUpdate) throw new RangeError('tbsCertList is truncated');
    if (!innerAlg.bytes.equals(outerAlg.bytes)) throw new CrlFormatError('signature algorithm inside and outside the signed part differ');
    const nextUpdate = fields[0] && (fields[0].tag === 0x17 || fields[0].tag === 0x18) ? fields.shift() : undefined;
    const revokedList = fields[0]?.tag === 0x30 ? fields.shift() : undefined;
    const extensions = fields[0]?.tag === 0xa0 ? AsnConvert.parse(childrenOf(fields[0])[0].bytes, Extensions) : [];
    let scope: Pick<ParsedCrl, 'scopeUris' | 'onlyUserCerts' | 'onlyCaCerts'> = { onlyUserCerts: false, onlyCaCerts: false };
    // RFC 5280 §5.2.3: every conforming CRL carries a non-critical CRLNumber; one without it (or
    // with it critical) was not made by a conforming issuer and is not trusted for status.
    const crlNumber = extensions.find((ext) => ext.extnID === CRL_NUMBER);
    if (!crlNumber) throw new CrlFormatError('CRL has no CRLNumber extension (RFC 5280 §5.2.3 requires one)');
    if (crlNumber.critical) throw new CrlFormatError('CRLNumber extension is marked critical (RFC 5280 §5.2.3 forbids it)');
    for (const ext of extensions) {
      if (ext.critical && !KNOWN_CRL_EXTENSIONS.has(ext.extnID)) throw new CrlFormatError(`unsupported critical CRL extension ${ext.extnID} (delta CRLs are not supported)`);
      if (ext.extnID === ISSUING_DP) scope = parseScope(AsnConvert.parse(ext.extnValue, IssuingDistributionPoint));
    }
    return {
      der,
      issuerDer: Buffer.from(issuer.bytes),
      thisUpdate: readTime(thisUpdate),
      nextUpdate: nextUpdate && readTime(nextUpdate),
      // The index: one Map lookup per request, whatever the CRL's size.
      revoked: readRevokedEntries(revokedList),
      ...scope,
      signatureAlgorithm: AsnConvert.parse(outerAlg.bytes, AlgorithmIdentifier),
      tbs: new Uint8Array(tbsTlv.bytes),
      signature: new Uint8Array(signature.content.subarray(1)),
    };
  } catch (error) {
    if (error instanceof CrlFormatError) throw error;
    throw new CrlFormatError(`not a usable CRL: ${(error as Error).message}`);
  }
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
