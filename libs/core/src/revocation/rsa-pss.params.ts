import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { childrenOf, readTlv } from './der.walker';

const MGF1 = '1.2.840.113549.1.1.8';
const HASH_OIDS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/**
 * RSASSA-PSS-params (RFC 4055 §3.1): returns the SHA-2 hash and salt length, or undefined.
 * The defaults are SHA-1, so absent hash fields mean SHA-1 and are refused; MGF1 must use
 * the same hash as the digest (mixing them buys nothing and is a downgrade vector).
 */
export function readPssParams(parameters: ArrayBuffer | null | undefined): { hash: string; saltLength: number } | undefined {
  if (!parameters) return undefined;
  let hash: string | undefined;
  let mgfHash: string | undefined;
  let saltLength = 20;
  for (const field of childrenOf(readTlv(Buffer.from(parameters)))) {
    const inner = childrenOf(field)[0];
    if (!inner) return undefined;
    if (field.tag === 0xa0) hash = HASH_OIDS[AsnConvert.parse(inner.bytes, AlgorithmIdentifier).algorithm];
    else if (field.tag === 0xa1) {
      const mgf = AsnConvert.parse(inner.bytes, AlgorithmIdentifier);
      if (mgf.algorithm !== MGF1 || !mgf.parameters) return undefined;
      mgfHash = HASH_OIDS[AsnConvert.parse(mgf.parameters, AlgorithmIdentifier).algorithm];
    } else if (field.tag === 0xa2 && inner.tag === 0x02 && inner.content.length <= 2) saltLength = inner.content.readUIntBE(0, inner.content.length);
    else if (field.tag !== 0xa3) return undefined;
  }
  return hash && mgfHash === hash ? { hash, saltLength } : undefined;
}
