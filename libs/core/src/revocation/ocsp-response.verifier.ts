import { BasicOCSPResponse, CertID, OCSPResponse, OCSPResponseStatus, ResponseData, SingleResponse, id_pkix_ocsp_basic } from '@peculiar/asn1-ocsp';
import { AsnConvert } from '@peculiar/asn1-schema';
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
  const { basic, basicDer } = decodeBasic(der);
  const signer = findOcspSigner(basicDer, ctx.issuer, ctx.at, ctx.clockSkewMs);
  if (!basic.tbsResponseDataRaw || !verifySignature(basic.signatureAlgorithm, new Uint8Array(basic.tbsResponseDataRaw), new Uint8Array(basic.signature), signer.key)) {
    throw new OcspResponseError(`response signature does not verify with the ${signer.kind} key`);
  }
  const data = basic.tbsResponseData;
  checkNonce(data, ctx);
  const single = data.responses.find((r) => matchesCertId(r.certID, ctx));
  if (!single) throw new OcspResponseError('response does not cover the requested certificate');
  const skew = ctx.clockSkewMs;
  const at = ctx.at.getTime();
  if (single.thisUpdate.getTime() > at + skew) throw new OcspResponseError(`response thisUpdate ${single.thisUpdate.toISOString()} is in the future`);
  if (single.nextUpdate && single.nextUpdate.getTime() + skew <= at) throw new OcspResponseError(`stale response: nextUpdate ${single.nextUpdate.toISOString()} has passed`);
  if (!single.nextUpdate && at - single.thisUpdate.getTime() > ctx.maxAgeWithoutNextUpdateMs + skew) {
    throw new OcspResponseError(`stale response: thisUpdate ${single.thisUpdate.toISOString()} is older than maxAgeWithoutNextUpdateMs`);
  }
  return { ...certStatus(single), thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate };
}

function decodeBasic(der: Buffer): { basic: BasicOCSPResponse; basicDer: Buffer } {
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
  try {
    return { basic: AsnConvert.parse(basicDer, BasicOCSPResponse), basicDer };
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
  return Buffer.from(id.issuerNameHash.buffer).toString('hex') === expected.issuerNameHash && Buffer.from(id.issuerKeyHash.buffer).toString('hex') === expected.issuerKeyHash;
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
