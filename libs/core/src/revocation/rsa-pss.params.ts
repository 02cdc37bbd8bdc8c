import { CONTEXT, children, oidOf, parseDer, sequence, smallInteger } from '../certificate/asn1.reader';

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
 * Read with the strict DER reader; anything it refuses is undefined too (fails closed).
 */
export function readPssParams(parameters: ArrayBuffer | null | undefined): { hash: string; saltLength: number } | undefined {
  if (!parameters) return undefined;
  try {
    return readStrict(Buffer.from(parameters));
  } catch {
    return undefined;
  }
}

function readStrict(der: Buffer): { hash: string; saltLength: number } | undefined {
  let hash: string | undefined;
  let mgfHash: string | undefined;
  let saltLength = 20;
  for (const field of sequence(parseDer(der, 'RSASSA-PSS-params'), 'RSASSA-PSS-params')) {
    const inner = field.tagClass === CONTEXT ? children(field, 'RSASSA-PSS-params')[0] : undefined;
    if (!inner) return undefined;
    if (field.type === 0) hash = HASH_OIDS[oidOf(sequence(inner, 'hashAlgorithm')[0], 'hashAlgorithm')];
    else if (field.type === 1) {
      const [mgf, mgfParams] = sequence(inner, 'maskGenAlgorithm');
      if (oidOf(mgf, 'maskGenAlgorithm') !== MGF1 || !mgfParams) return undefined;
      mgfHash = HASH_OIDS[oidOf(sequence(mgfParams, 'MGF1 hash')[0], 'MGF1 hash')];
    } else if (field.type === 2) saltLength = smallInteger(inner, 'saltLength');
    else if (field.type !== 3) return undefined;
  }
  return hash && mgfHash === hash ? { hash, saltLength } : undefined;
}
