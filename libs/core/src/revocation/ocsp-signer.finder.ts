import { createHash, type KeyObject } from 'node:crypto';
import { parseCertificate } from '../certificate/certificate.parser';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import { type Asn1, CONTEXT, T, UNIVERSAL, bytesOf, children, expect, sequence, toDer } from '../certificate/asn1.reader';
import { subjectPublicKeyBits } from './ocsp-request.builder';
import { OcspResponseError } from './ocsp-response.error';
import { importSpki, verifySignature } from './signature.verifier';

const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

/** The key a response must verify with. */
export interface OcspSigner {
  kind: 'issuer' | 'delegated responder';
  key: KeyObject | undefined;
}

/**
 * RFC 6960 §4.2.2.2: a response is signed either by the certificate's issuer itself or by a
 * delegated responder whose certificate (carried in the response) is issued by that same issuer
 * and has id-kp-OCSPSigning. Anyone else, even another CA we trust, is refused.
 * @param basic the BasicOCSPResponse as read by the strict DER reader (responderID and certificates keep their original bytes)
 */
export function findOcspSigner(basic: readonly Asn1[], issuer: ParsedCertificate, at: Date, skewMs: number): OcspSigner {
  const tbs = sequence(basic[0], 'tbsResponseData');
  const responderId = tbs[tbs[0]?.tagClass === CONTEXT && tbs[0].type === 0 ? 1 : 0];
  const matches = (cert: Pick<ParsedCertificate, 'subject' | 'publicKey'>): boolean => matchesResponderId(responderId, cert);
  if (matches(issuer)) return { kind: 'issuer', key: issuer.publicKey.key ?? importSpki(issuer.publicKey.der) };
  const certs = basic[3]?.tagClass === CONTEXT && basic[3].type === 0 ? sequence(children(basic[3], 'certs')[0], 'certs') : [];
  const problems: string[] = [];
  for (const element of certs) {
    let cert: ParsedCertificate;
    try {
      cert = parseCertificate(Buffer.from(toDer(element)));
    } catch {
      problems.push('response carries a malformed certificate');
      continue;
    }
    if (!matches(cert)) continue;
    const problem = delegationProblem(cert, issuer, at, skewMs);
    if (!problem) return { kind: 'delegated responder', key: cert.publicKey.key ?? importSpki(cert.publicKey.der) };
    problems.push(problem);
  }
  throw new OcspResponseError(problems[0] ?? 'response is signed by neither the issuer nor a delegated responder certificate it includes');
}

/** ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash (SHA-1 of the key bits) }. */
function matchesResponderId(id: Asn1 | undefined, cert: Pick<ParsedCertificate, 'subject' | 'publicKey'>): boolean {
  if (id?.tagClass !== CONTEXT) return false;
  const inner = children(id, 'responderID')[0];
  if (!inner) return false;
  if (id.type === 1) return toDer(inner).equals(cert.subject.der);
  if (id.type === 2)
    return bytesOf(expect(inner, UNIVERSAL, T.OCTET_STRING, 'responderID byKey'), 'responderID byKey').equals(
      createHash('sha1').update(subjectPublicKeyBits(cert.publicKey.der)).digest(),
    );
  return false;
}

function delegationProblem(cert: ParsedCertificate, issuer: ParsedCertificate, at: Date, skewMs: number): string | undefined {
  if (!cert.issuer.der.equals(issuer.subject.der)) return 'responder certificate is not issued by the certificate issuer';
  // The key policy holds here too: a responder key outside it (a 3,000-bit RSA exponent) is never used.
  if (cert.publicKey.fault) return `responder certificate ${cert.publicKey.fault}`;
  const algorithm = { algorithm: cert.signatureAlgorithm.oid, parameters: signatureParameters(cert) };
  if (!verifySignature(algorithm, cert.tbsDer, cert.signature, issuer.publicKey.key ?? importSpki(issuer.publicKey.der))) {
    return 'responder certificate signature does not verify with the issuer key';
  }
  if (!cert.extendedKeyUsage?.includes(OCSP_SIGNING)) return 'responder certificate lacks id-kp-OCSPSigning';
  if (cert.notBefore.getTime() - skewMs > at.getTime() || cert.notAfter.getTime() + skewMs < at.getTime()) {
    return 'responder certificate is outside its validity period';
  }
  return undefined;
}

/** The outer signatureAlgorithm parameters (RSA-PSS needs them), as the certificate parser kept them. */
function signatureParameters(cert: ParsedCertificate): ArrayBuffer | null {
  const params = cert.signatureAlgorithm.parameters;
  if (!params || params[0] === 0x05) return null;
  return new Uint8Array(params).buffer;
}
