import { createHash, randomBytes } from 'node:crypto';
import { CertID, OCSPRequest, Request, TBSRequest } from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Extension } from '@peculiar/asn1-x509';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import { bitString, parseDer, sequence } from '../certificate/asn1.reader';

const SHA1 = '1.3.14.3.2.26';
export const OCSP_NONCE_OID = '1.3.6.1.5.5.7.48.1.2';

/** The parts of an OCSP CertID (RFC 6960 §4.1.1) that identify one certificate, as lowercase hex. */
export interface OcspCertId {
  readonly issuerNameHash: string;
  readonly issuerKeyHash: string;
  readonly serialNumber: string;
  /** Cache and coalescing key. */
  readonly key: string;
}

/** CertID hashes under `hash`. SHA-1 in requests is what every responder supports; it identifies, it does not sign. */
export function certIdFor(cert: ParsedCertificate, issuer: ParsedCertificate, hash: 'sha1' | 'sha256' = 'sha1'): OcspCertId {
  const issuerNameHash = createHash(hash).update(cert.issuer.der).digest('hex');
  const issuerKeyHash = createHash(hash).update(subjectPublicKeyBits(issuer.publicKey.der)).digest('hex');
  return { issuerNameHash, issuerKeyHash, serialNumber: cert.serialNumber, key: `${issuerNameHash}:${issuerKeyHash}:${cert.serialNumber}` };
}

/** A DER OCSPRequest for one certificate; with a nonce, also the nonce extnValue to expect back. */
export function buildOcspRequest(certId: OcspCertId, withNonce: boolean): { der: Buffer; nonceExtnValue?: Buffer } {
  const tbsRequest = new TBSRequest({
    requestList: [
      new Request({
        reqCert: new CertID({
          hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
          issuerNameHash: new OctetString(Buffer.from(certId.issuerNameHash, 'hex')),
          issuerKeyHash: new OctetString(Buffer.from(certId.issuerKeyHash, 'hex')),
          serialNumber: toArrayBuffer(Buffer.from(certId.serialNumber, 'hex')),
        }),
      }),
    ],
  });
  let nonceExtnValue: Buffer | undefined;
  if (withNonce) {
    // RFC 8954: extnValue holds an OCTET STRING of 1..32 random bytes.
    nonceExtnValue = Buffer.from(AsnConvert.serialize(new OctetString(randomBytes(16))));
    tbsRequest.requestExtensions = [new Extension({ extnID: OCSP_NONCE_OID, critical: false, extnValue: new OctetString(nonceExtnValue) })];
  }
  return { der: Buffer.from(AsnConvert.serialize(new OCSPRequest({ tbsRequest }))), nonceExtnValue };
}

/** The raw subjectPublicKey bits of an SPKI (what OCSP issuerKeyHash and byKey responder IDs hash). */
export function subjectPublicKeyBits(spkiDer: Buffer): Buffer {
  return bitString(sequence(parseDer(spkiDer, 'subjectPublicKeyInfo'), 'subjectPublicKeyInfo')[1], 'subjectPublicKey').bytes;
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
}
