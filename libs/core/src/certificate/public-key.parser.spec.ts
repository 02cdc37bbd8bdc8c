import { generateKeyPair } from '@client-cert-auth/dev-pki';
import { bitString, derNull, objectIdentifier, sequence, unsignedInteger } from '../../../dev-pki/src/der';
import { parseDer } from './asn1.reader';
import { parsePublicKey } from './public-key.parser';

/** An RSA SPKI with the modulus of a real 2048-bit key and the given exponent (big-endian hex). */
function rsaSpki(exponentHex: string): Buffer {
  const modulus = Buffer.from(generateKeyPair('rsa-2048').publicKey.export({ format: 'jwk' }).n as string, 'base64url');
  const key = sequence(unsignedInteger(modulus), unsignedInteger(Buffer.from(exponentHex, 'hex')));
  return sequence(sequence(objectIdentifier('1.2.840.113549.1.1.1'), derNull()), bitString(key));
}

const parse = (spki: Buffer) => parsePublicKey(parseDer(spki, 'spki'), spki);

describe('parsePublicKey: the fixed key policy', () => {
  it.each([
    ['65537', '010001', undefined, 17],
    ['3', '03', undefined, 2],
    ['the largest odd 32-bit exponent', 'ffffffff', undefined, 32],
    ['a 33-bit exponent', '0100000001', /public exponent of 33 bits/, 33],
    ['a 3,070-bit exponent', `3f${'ab'.repeat(382)}01`, /public exponent of 3070 bits/, 3070],
    ['an even exponent', '010000', /even or below 3/, 17],
    ['exponent 1', '01', /even or below 3/, 1],
  ])('RSA with %s', (_name, exponent, fault, bits) => {
    const key = parse(rsaSpki(exponent));
    expect(key.exponentBits).toBe(bits);
    if (fault) {
      expect(key.fault).toMatch(fault);
      expect(key.key).toBeUndefined(); // never imported, so it cannot verify anything
    } else {
      expect(key.fault).toBeUndefined();
      expect(key.key?.asymmetricKeyType).toBe('rsa');
    }
  });

  it('refuses an EC key on a curve outside P-256/P-384/P-521, and keeps the allowed ones', () => {
    const spkiOf = (kind: 'p-256' | 'p-384') => generateKeyPair(kind).publicKey.export({ type: 'spki', format: 'der' });
    expect(parse(spkiOf('p-256')).fault).toBeUndefined();
    const p192 = Buffer.from(spkiOf('p-256'));
    const curve = p192.indexOf(Buffer.from('06082a8648ce3d030107', 'hex')); // prime256v1 -> prime192v1
    p192[curve + 9] = 0x01;
    expect(parse(p192).fault).toMatch(/P-192/);
    expect(parse(p192).key).toBeUndefined();
  });

  it('refuses an unknown key algorithm', () => {
    const spki = sequence(sequence(objectIdentifier('1.2.3.4')), bitString(Buffer.from([1, 2, 3])));
    expect(parse(spki).fault).toMatch(/unsupported public key algorithm/);
  });
});
