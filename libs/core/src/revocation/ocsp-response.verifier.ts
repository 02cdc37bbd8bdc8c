import { BasicOCSPResponse, CertID, OCSPResponse, OCSPResponseStatus, ResponseData, SingleResponse, id_pkix_ocsp_basic } from '@peculiar/asn1-ocsp';
import { AsnConvert } from '@peculiar/asn1-schema';
import { type Asn1, CONTEXT, children, parseDer, sequence } from '../certificate/asn1.reader';
import { assertDerTimes, parseDerTime } from '../certificate/der-time.parser';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import { REASON_NAMES } from './crl-entries.reader';
import { certIdFor, OCSP_NONCE_OID, type OcspCertId } from './ocsp-request.builder';
import { OcspResponseError } from './ocsp-response.error';
import { findOcspSigner } from './ocsp-signer.finder';
import { verifySignature } from './signature.verifier';

export { OcspResponseError };

/** A verified answer about one certificate. */
export interface OcspAnswer {
  status: 'good' | 'revoked' | 'unknown';
  thisUpdate: Date;
  nextUpdate?: Date;
  reason?: string;
}

export interface OcspVerifyContext {
  cert: ParsedCertificate;
  issuer: ParsedCertificate;
  certId: OcspCertId;
  /** The nonce extnValue we sent, if any. */
  nonceExtnValue?: Buffer;
  requireNonce: boolean;
  at: Date;
  clockSkewMs: number;
  maxAgeWithoutNextUpdateMs: number;
}

/** Parses and verifies a DER OCSPResponse (RFC 6960 §4.2); throws OcspResponseError unless every check passes. */
export function verifyOcspResponse(der: Buffer, ctx: OcspVerifyContext): OcspAnswer {
  const { basic, nodes } = decodeBasic(der);
  const signer = findOcspSigner(nodes, ctx.issuer, ctx.at, ctx.clockSkewMs);
  if (
    !basic.tbsResponseDataRaw ||
    !verifySignature(basic.signatureAlgorithm, new Uint8Array(basic.tbsResponseDataRaw), new Uint8Array(basic.signature), signer.key)
  ) {
    throw new OcspResponseError(`response signature does not verify with the ${signer.kind} key`);
  }
  const data = basic.tbsResponseData;
  checkNonce(data, ctx);
  const index = data.responses.findIndex((r) => matchesCertId(r.certID, ctx));
  if (index < 0) throw new OcspResponseError('response does not cover the requested certificate');
  const single = data.responses[index];
  const { thisUpdate, nextUpdate } = singleResponseTimes(nodes, index);
  const skew = ctx.clockSkewMs;
  const at = ctx.at.getTime();
  if (thisUpdate.getTime() > at + skew) throw new OcspResponseError(`response thisUpdate ${thisUpdate.toISOString()} is in the future`);
  if (nextUpdate && nextUpdate.getTime() + skew <= at) throw new OcspResponseError(`stale response: nextUpdate ${nextUpdate.toISOString()} has passed`);
  if (!nextUpdate && at - thisUpdate.getTime() > ctx.maxAgeWithoutNextUpdateMs + skew) {
    throw new OcspResponseError(`stale response: thisUpdate ${thisUpdate.toISOString()} is older than maxAgeWithoutNextUpdateMs`);
  }
  return { ...certStatus(single), thisUpdate, nextUpdate };
}

/**
 * The strict reader's nodes come first: an OCSP response is network-supplied, and asn1js reads
 * BER (a non-minimal length is only a warning there) and rolls an out-of-range time into the
 * next month. Every element is read as strict DER and every time through the module's one time
 * parser before the schema parser types the same bytes; a refusal names what was wrong.
 */
function readStrict(der: Buffer, what: string): Asn1 {
  try {
    const root = parseDer(der, what);
    assertDerTimes(root, what);
    return root;
  } catch (error) {
    throw new OcspResponseError(`malformed ${what}: ${(error as Error).message}`);
  }
}

/** thisUpdate and nextUpdate of the `index`th SingleResponse, read by the one time parser. */
function singleResponseTimes(basic: readonly Asn1[], index: number): { thisUpdate: Date; nextUpdate?: Date } {
  try {
    const tbs = sequence(basic[0], 'tbsResponseData');
    const versioned = tbs[0]?.tagClass === CONTEXT && tbs[0].type === 0 ? 1 : 0;
    // ResponseData ::= SEQUENCE { version [0] OPTIONAL, responderID, producedAt, responses, … }
    const fields = sequence(sequence(tbs[versioned + 2], 'responses')[index], 'SingleResponse');
    // SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT OPTIONAL, … }
    const next = fields[3]?.tagClass === CONTEXT && fields[3].type === 0 ? children(fields[3], 'nextUpdate')[0] : undefined;
    return { thisUpdate: parseDerTime(fields[2], 'thisUpdate'), nextUpdate: next && parseDerTime(next, 'nextUpdate') };
  } catch (error) {
    throw new OcspResponseError(`malformed SingleResponse: ${(error as Error).message}`);
  }
}

function decodeBasic(der: Buffer): { basic: BasicOCSPResponse; nodes: readonly Asn1[] } {
  readStrict(der, 'OCSP response');
  let response: OCSPResponse;
  try {
    response = AsnConvert.parse(der, OCSPResponse);
  } catch (error) {
    throw new OcspResponseError(`malformed OCSP response: ${(error as Error).message}`);
  }
  if (response.responseStatus !== OCSPResponseStatus.successful) {
    throw new OcspResponseError(`responder answered ${OCSPResponseStatus[response.responseStatus] ?? response.responseStatus}`);
  }
  if (response.responseBytes?.responseType !== id_pkix_ocsp_basic) throw new OcspResponseError('not a basic OCSP response');
  const basicDer = Buffer.from(response.responseBytes.response.buffer);
  const root = readStrict(basicDer, 'BasicOCSPResponse');
  try {
    // The schema parse succeeded, so the root is a SEQUENCE and its value the children.
    return { basic: AsnConvert.parse(basicDer, BasicOCSPResponse), nodes: root.value as Asn1[] };
  } catch (error) {
    throw new OcspResponseError(`malformed BasicOCSPResponse: ${(error as Error).message}`);
  }
}

function checkNonce(data: ResponseData, ctx: OcspVerifyContext): void {
  if (!ctx.nonceExtnValue) return;
  const ext = data.responseExtensions?.find((e) => e.extnID === OCSP_NONCE_OID);
  if (!ext) {
    if (ctx.requireNonce) throw new OcspResponseError('response carries no nonce');
    return;
  }
  // A different nonce means a replayed (or foreign) response.
  if (!Buffer.from(ext.extnValue.buffer).equals(ctx.nonceExtnValue)) throw new OcspResponseError('response nonce does not match the request');
}

function matchesCertId(id: CertID, ctx: OcspVerifyContext): boolean {
  if (Buffer.from(id.serialNumber).toString('hex') !== ctx.certId.serialNumber) return false;
  const hash = id.hashAlgorithm.algorithm === '1.3.14.3.2.26' ? 'sha1' : id.hashAlgorithm.algorithm === '2.16.840.1.101.3.4.2.1' ? 'sha256' : undefined;
  if (!hash) return false;
  const expected = hash === 'sha1' ? ctx.certId : certIdFor(ctx.cert, ctx.issuer, 'sha256');
  return (
    Buffer.from(id.issuerNameHash.buffer).toString('hex') === expected.issuerNameHash &&
    Buffer.from(id.issuerKeyHash.buffer).toString('hex') === expected.issuerKeyHash
  );
}

function certStatus(single: SingleResponse): Pick<OcspAnswer, 'status' | 'reason'> {
  const status = single.certStatus;
  if (status.revoked) {
    const code = status.revoked.revocationReason?.reason;
    return { status: 'revoked', reason: code === undefined ? 'revoked (OCSP)' : REASON_NAMES[code] };
  }
  if (status.good !== undefined) return { status: 'good' };
  if (status.unknown !== undefined) return { status: 'unknown', reason: 'responder does not know the certificate' };
  throw new OcspResponseError('malformed certStatus');
}
