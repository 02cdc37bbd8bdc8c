import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { importSpki, verifySignature } from './signature.verifier';

/** RSASSA-PSS-params with SHA-256, MGF1-SHA-256, salt 32, as DER (RFC 4055). */
const PSS_SHA256 = Buffer.from('3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120', 'hex');

describe('verifySignature', () => {
  const data = Buffer.from('tbs bytes');
  const keys = {
    rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    ec: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    ed25519: generateKeyPairSync('ed25519'),
  };
  const cases: Array<[string, string, ArrayBuffer | null, keyof typeof keys, (key: KeyObject) => Buffer]> = [
    ['sha256WithRSAEncryption', '1.2.840.113549.1.1.11', null, 'rsa', (k) => sign('sha256', data, k)],
    [
      'RSASSA-PSS (SHA-256)',
      '1.2.840.113549.1.1.10',
      new Uint8Array(PSS_SHA256).buffer,
      'rsa',
      (k) => sign('sha256', data, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
    ],
    ['ecdsa-with-SHA256', '1.2.840.10045.4.3.2', null, 'ec', (k) => sign('sha256', data, k)],
    ['Ed25519', '1.3.101.112', null, 'ed25519', (k) => sign(null, data, k)],
  ];

  it.each(cases)('%s: accepts a valid signature, refuses a tampered one and a foreign key', (_name, oid, parameters, kind, signWith) => {
    const signature = signWith(keys[kind].privateKey);
    const algorithm = { algorithm: oid, parameters };
    expect(verifySignature(algorithm, data, signature, keys[kind].publicKey)).toBe(true);
    expect(verifySignature(algorithm, Buffer.from('other bytes'), signature, keys[kind].publicKey)).toBe(false);
    const foreign = kind === 'ec' ? keys.rsa : keys.ec;
    expect(verifySignature(algorithm, data, signature, foreign.publicKey)).toBe(false);
  });

  it.each([
    ['sha1WithRSAEncryption (weak hash)', '1.2.840.113549.1.1.5', null],
    ['RSASSA-PSS without parameters (SHA-1 defaults)', '1.2.840.113549.1.1.10', null],
    ['an unknown algorithm', '1.2.3.4', null],
  ])('refuses %s', (_name, oid, parameters) => {
    const signature = sign('sha1', data, keys.rsa.privateKey);
    expect(verifySignature({ algorithm: oid, parameters }, data, signature, keys.rsa.publicKey)).toBe(false);
  });

  it('refuses when there is no key, and imports SPKI DER', () => {
    expect(verifySignature({ algorithm: '1.3.101.112' }, data, Buffer.alloc(64), undefined)).toBe(false);
    const spki = keys.ec.publicKey.export({ format: 'der', type: 'spki' });
    expect(importSpki(spki)?.asymmetricKeyType).toBe('ec');
    expect(importSpki(Buffer.from('junk'))).toBeUndefined();
  });
});
