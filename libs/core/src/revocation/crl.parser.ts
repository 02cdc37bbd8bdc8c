import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, IssuingDistributionPoint } from '@peculiar/asn1-x509';
import {
  type Asn1,
  type DerSpan,
  T,
  UNIVERSAL,
  bitString,
  booleanOf,
  children,
  expect,
  oidOf,
  parseContents,
  parseDer,
  sequence,
  spansIn,
  toDer,
} from '../certificate/asn1.reader';
import { parseDerTime } from '../certificate/der-time.parser';
import { readPemBlocks } from '../certificate/pem';
import { readRevokedEntries, type CrlEntry } from './crl-entries.reader';

export type { CrlEntry };
import type { SignatureAlgorithm } from './signature.verifier';

/**
 * ASN.1 library choice: @peculiar/asn1-schema + @peculiar/asn1-x509 (+ @peculiar/asn1-ocsp).
 * They model CRLs, OCSP requests/responses and their extensions as typed classes, keep the
 * signed bytes (`tbsResponseDataRaw`), are CommonJS (pkijs/asn1js 4 are
 * ESM-only and do not load under our CommonJS jest setup) and are well kept (PeculiarVentures,
 * the pkijs authors). node-forge has no OCSP model, so we would hand-write those schemas.
 * The library does structure only: every signature is verified with node:crypto.
 *
 * Every byte goes through the module's one strict DER reader first (certificate/asn1.reader.ts):
 * asn1js reads BER (non-minimal lengths only raise a warning), so the schema parser is never the
 * first to see network-supplied bytes. The CRL itself is read with that reader's nodes (the
 * schema parser is too slow for CRLs with many entries); the schema classes remain for the few
 * small typed parts (AlgorithmIdentifier, IssuingDistributionPoint), on bytes already checked.
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
  try {
    const der = decodePem(input);
    // Every element goes through the strict DER reader before it is used or handed to the schema
    // parser (which would accept BER). Read span by span: the revoked list can hold 100,000 entries.
    const [certificateList, trailing] = spansIn(der, 0, der.length, 'CRL');
    if (certificateList.tag !== 0x30 || trailing) throw new RangeError('expected one CertificateList SEQUENCE');
    const outer = spansIn(der, certificateList.contentStart, certificateList.end, 'CRL');
    if (outer.length !== 3 || outer[0].tag !== 0x30) throw new RangeError('expected tbsCertList, signatureAlgorithm, signature');
    const [tbs, outerAlg, signature] = [outer[0], element(der, outer[1]), element(der, outer[2])];
    // TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature, issuer, thisUpdate, nextUpdate Time OPTIONAL,
    //   revokedCertificates SEQUENCE OF … OPTIONAL, crlExtensions [0] EXPLICIT Extensions OPTIONAL }
    const spans = spansIn(der, tbs.contentStart, tbs.end, 'tbsCertList');
    let i = 0;
    const next = (): Asn1 | undefined => (i < spans.length ? element(der, spans[i++]) : undefined);
    if (spans[i]?.tag === 0x02) next();
    const [innerAlg, issuer, thisUpdate] = [next(), next(), next()];
    if (!innerAlg || !issuer || !thisUpdate) throw new RangeError('tbsCertList is truncated');
    if (!toDer(innerAlg).equals(toDer(expect(outerAlg, UNIVERSAL, T.SEQUENCE, 'signatureAlgorithm')))) {
      throw new CrlFormatError('signature algorithm inside and outside the signed part differ');
    }
    const nextUpdate = spans[i]?.tag === 0x17 || spans[i]?.tag === 0x18 ? next() : undefined;
    // The revoked list stays a span: readRevokedEntries reads it entry by entry.
    const revokedList = spans[i]?.tag === 0x30 ? spans[i++] : undefined;
    const extensionsField = spans[i]?.tag === 0xa0 ? next() : undefined;
    if (i < spans.length) throw new RangeError('unexpected field after crlExtensions');
    const extensions = extensionsField ? readExtensions(extensionsField) : [];
    let scope: Pick<ParsedCrl, 'scopeUris' | 'onlyUserCerts' | 'onlyCaCerts'> = { onlyUserCerts: false, onlyCaCerts: false };
    // RFC 5280 §5.2.3: every conforming CRL carries a non-critical CRLNumber; one without it (or
    // with it critical) was not made by a conforming issuer and is not trusted for status.
    const crlNumber = extensions.find((ext) => ext.oid === CRL_NUMBER);
    if (!crlNumber) throw new CrlFormatError('CRL has no CRLNumber extension (RFC 5280 §5.2.3 requires one)');
    if (crlNumber.critical) throw new CrlFormatError('CRLNumber extension is marked critical (RFC 5280 §5.2.3 forbids it)');
    for (const ext of extensions) {
      if (ext.critical && !KNOWN_CRL_EXTENSIONS.has(ext.oid))
        throw new CrlFormatError(`unsupported critical CRL extension ${ext.oid} (delta CRLs are not supported)`);
      // extnValue is DER of its own: read strictly here, then typed by the schema parser.
      if (ext.oid === ISSUING_DP) scope = parseScope(AsnConvert.parse(toDer(parseContents(ext.value, 'issuingDistributionPoint')), IssuingDistributionPoint));
    }
    return {
      der,
      issuerDer: Buffer.from(toDer(expect(issuer, UNIVERSAL, T.SEQUENCE, 'issuer'))),
      thisUpdate: parseDerTime(thisUpdate, 'thisUpdate'),
      nextUpdate: nextUpdate && parseDerTime(nextUpdate, 'nextUpdate'),
      // The index: one Map lookup per request, whatever the CRL's size.
      revoked: readRevokedEntries(der, revokedList),
      ...scope,
      signatureAlgorithm: AsnConvert.parse(toDer(outerAlg), AlgorithmIdentifier),
      tbs: new Uint8Array(der.subarray(tbs.start, tbs.end)),
      signature: new Uint8Array(bitString(signature, 'signature').bytes),
    };
  } catch (error) {
    if (error instanceof CrlFormatError) throw error;
    throw new CrlFormatError(`not a usable CRL: ${(error as Error).message}`);
  }
}

/** One element of the CRL as a node tree, read strictly. */
function element(der: Buffer, span: DerSpan): Asn1 {
  return parseDer(der.subarray(span.start, span.end), 'CRL');
}

/** crlExtensions [0] EXPLICIT Extensions, read from the reader's nodes (extnValue left for each extension's reader). */
function readExtensions(field: Asn1): Array<{ oid: string; critical: boolean; value: Asn1 }> {
  const wrapped = children(field, 'crlExtensions');
  if (wrapped.length !== 1) throw new RangeError('crlExtensions: expected one SEQUENCE');
  return sequence(wrapped[0], 'crlExtensions').map((ext) => {
    const parts = sequence(ext, 'Extension');
    if (parts.length !== 2 && parts.length !== 3) throw new RangeError('Extension: expected extnID, critical and extnValue');
    const value = expect(parts[parts.length - 1], UNIVERSAL, T.OCTET_STRING, 'extnValue');
    return { oid: oidOf(parts[0], 'extnID'), critical: parts.length === 3 && booleanOf(parts[1], 'critical'), value };
  });
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

/** RFC 7468 §5's label, and the one OpenSSL writes. */
const CRL_LABELS: ReadonlySet<string> = new Set(['X509 CRL']);

/** A PEM `X509 CRL` (RFC 7468 §5) through the module's one PEM decoder, or DER as it is. */
function decodePem(input: Buffer): Buffer {
  // DER starts with its SEQUENCE tag; anything else is PEM text (explanatory text before the block allowed).
  if (input[0] === 0x30) return input;
  const [der] = readPemBlocks(input.toString('latin1'), CRL_LABELS, { max: 1, maxText: Infinity, fail: (message) => new CrlFormatError(message) });
  if (!der) throw new CrlFormatError('PEM without an X509 CRL block');
  return der;
}
