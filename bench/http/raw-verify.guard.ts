import { verify, type KeyObject } from 'node:crypto';
import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { HandWrittenTrust } from './hand-written.guard';

/** One DER element: where its contents start and where the element ends. */
interface Tlv {
  readonly contents: number;
  readonly end: number;
}

/**
 * Reads the element at `at` if its tag is `tag` and it ends within `limit`; short lengths and the
 * long forms 0x81-0x83 only (a bench leaf is well under 16 MiB), null otherwise.
 */
function tlv(der: Buffer, at: number, tag: number, limit: number): Tlv | null {
  if (at + 2 > limit || der[at] !== tag) return null;
  let length = der[at + 1];
  let contents = at + 2;
  if (length > 0x80) {
    const bytes = length - 0x80;
    if (bytes > 3 || contents + bytes > limit) return null;
    length = 0;
    for (let i = 0; i < bytes; i++) length = (length << 8) | der[contents + i];
    contents += bytes;
  } else if (length === 0x80) {
    return null; // indefinite length: BER, never DER
  }
  const end = contents + length;
  return end <= limit ? { contents, end } : null;
}

const SEQUENCE = 0x30;
const BIT_STRING = 0x03;

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }: the
 * signed bytes (the whole tbsCertificate element) and the signature (the BIT STRING's contents
 * after its unused-bits byte, which must be 0), or null if the DER is not that shape.
 */
function signedParts(der: Buffer): { tbs: Buffer; signature: Buffer } | null {
  const certificate = tlv(der, 0, SEQUENCE, der.length);
  if (!certificate || certificate.end !== der.length) return null;
  const tbs = tlv(der, certificate.contents, SEQUENCE, certificate.end);
  const algorithm = tbs && tlv(der, tbs.end, SEQUENCE, certificate.end);
  const value = algorithm && tlv(der, algorithm.end, BIT_STRING, certificate.end);
  if (!tbs || !value || value.end !== certificate.end || value.end - value.contents < 2 || der[value.contents] !== 0) return null;
  return { tbs: der.subarray(certificate.contents, tbs.end), signature: der.subarray(value.contents + 1, value.end) };
}

/**
 * A reference floor, NOT a guard anyone should use: it admits any certificate the intermediate
 * signed, expired, revoked, for any purpose, enrolled or not. It costs what every certificate
 * check costs at least on a never-seen leaf (read the RFC 9440 header, base64-decode, one
 * `crypto.verify` of the leaf with the intermediate's key, loaded once), so the cold scenario can
 * set ClientCertGuard's CPU per request against one raw verify measured in the same server, under
 * the same load and cache pressure, rather than against a tight loop in another process.
 */
@Injectable()
export class RawVerifyGuard implements CanActivate {
  private readonly intermediateKey: KeyObject;

  constructor(trust: HandWrittenTrust) {
    this.intermediateKey = trust.intermediateKey;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const header = request.headers['client-cert'];
    if (typeof header !== 'string' || header.length < 3 || header[0] !== ':' || header[header.length - 1] !== ':') throw new ForbiddenException();
    const parts = signedParts(Buffer.from(header.slice(1, -1), 'base64'));
    // Node's defaults are the bench PKI's: PKCS#1 v1.5 for RSA, DER-encoded ECDSA signatures.
    // A malformed signature can make verify() throw rather than return false: a 403 either way.
    let valid = false;
    try {
      valid = parts !== null && verify('sha256', parts.tbs, this.intermediateKey, parts.signature);
    } catch {
      valid = false;
    }
    if (!valid) throw new ForbiddenException();
    return true;
  }
}
