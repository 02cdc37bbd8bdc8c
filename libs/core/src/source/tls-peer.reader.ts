import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { ClientCertError } from '../errors/client-cert.error';
import type { ForwardedCertificate } from '../header/forwarded-certificate';

/**
 * The client's certificate and chain as the TLS connection holds them, DER only: every decision
 * is the module's own (validation, revocation, registry), so nothing Node concluded is read
 * (`authorized`, `authorizationError`, the parsed fields). `null`: the client sent no certificate.
 *
 * `getPeerCertificate(true)` links each certificate to its issuer through `issuerCertificate`,
 * from what the client sent completed with the server's own CA store, and the self-signed root
 * links to itself: the walk stops at a certificate seen before. More than `maxCertificates` in
 * all is refused (CERT_POLICY), like a header holding too many.
 *
 * @throws ClientCertError CERT_POLICY
 */
export function readPeerCertificate(socket: TLSSocket, maxCertificates: number, profile: string): ForwardedCertificate | null {
  const peer = socket.getPeerCertificate(true) as DetailedPeerCertificate | null | undefined;
  // No client certificate: Node returns an empty object (null once the connection is gone).
  if (!peer || !Buffer.isBuffer(peer.raw) || peer.raw.length === 0) return null;
  const seen = new Set<DetailedPeerCertificate>([peer]);
  const chain: Buffer[] = [];
  for (let next = peer.issuerCertificate; next && Buffer.isBuffer(next.raw) && !seen.has(next); next = next.issuerCertificate) {
    // The same bytes as a certificate already taken (a root listed twice): the end of the chain.
    if (next.raw.equals(peer.raw) || chain.some((der) => der.equals(next.raw))) break;
    seen.add(next);
    chain.push(next.raw);
    if (chain.length + 1 > maxCertificates) {
      throw new ClientCertError('CERT_POLICY', `the TLS client's chain holds more than ${maxCertificates} certificates`, {
        profile,
        limit: maxCertificates,
      });
    }
  }
  return { leaf: peer.raw, chain };
}
