import { decodeBase64Strict } from '../decoding/base64.decoder';
import { splitConcatenatedDer } from '../decoding/der-envelope';
import { headerMalformed } from '../header.errors';
import { assertCertificateCount } from '../header.limits';
import { LeafAndChainParser } from './leaf-and-chain.parser';

/**
 * Decodes a `,`-separated list whose items are base64 of one OR MORE concatenated DER
 * certificates: Traefik joins certificates with `,`; HAProxy's `ssl_c_chain_der` is one blob of
 * concatenated DERs, split here by the DER length fields.
 */
export function decodeBase64DerList(value: string, max: number, what: string): Buffer[] {
  const items = value.split(',');
  assertCertificateCount(items.length, max);
  const certificates: Buffer[] = [];
  for (const item of items) {
    const text = item.trim();
    if (text === '') throw headerMalformed(`${what} has an empty list item`);
    const remaining = max - certificates.length;
    certificates.push(...splitConcatenatedDer(decodeBase64Strict(text, what), remaining, what));
  }
  return certificates;
}

/**
 * Plain base64 DER: Azure App Service `X-ARR-ClientCert`, Caddy
 * `{http.request.tls.client.certificate_der_base64}`, HAProxy `%[ssl_c_der,base64]` (with an
 * optional `%[ssl_c_chain_der,base64]` chain header), Traefik `X-Forwarded-Tls-Client-Cert`.
 * The first certificate is the leaf.
 *
 * @example X-ARR-ClientCert: MIIBqDCCAU6gAwIBAgIBBzAKBggqhkjOPQQDAjA6...
 */
export class Base64DerParser extends LeafAndChainParser {
  readonly format = 'base64-der' as const;
  protected readonly decode = decodeBase64DerList;
}
