import { X509Certificate } from 'node:crypto';
import { issueCertificate } from './certificate.issuer';
import { keyUsageBits } from './extensions.encoder';
import { cidrBytes } from './general-name.encoder';

describe('keyUsageBits', () => {
  it.each([
    [['digitalSignature'], '03020780'],
    [['keyCertSign', 'cRLSign'], '03020106'],
    [['digitalSignature', 'keyEncipherment'], '030205a0'],
    [['keyAgreement'], '03020308'],
    [['decipherOnly'], '0303070080'],
    [['digitalSignature', 'decipherOnly'], '0303078080'],
    [[], '030100'],
  ])('%j => %s', (names, hex) => expect(keyUsageBits(names).toString('hex')).toBe(hex));

  it('rejects an unknown usage', () => expect(() => keyUsageBits(['everything'])).toThrow(/unknown keyUsage/));
});

describe('cidrBytes', () => {
  it.each([
    ['10.0.0.0/8', '0a000000ff000000'],
    ['192.168.1.0/24', 'c0a80100ffffff00'],
    ['fd00::/8', `fd${'00'.repeat(15)}ff${'00'.repeat(15)}`],
  ])('%s', (cidr, hex) => expect(cidrBytes(cidr).toString('hex')).toBe(hex));

  it('rejects a bare address', () => expect(() => cidrBytes('10.0.0.1')).toThrow(/not a CIDR/));
});

describe('extension defaults', () => {
  it('gives a leaf CA:FALSE, digitalSignature and clientAuth', () => {
    const x = new X509Certificate(issueCertificate({ subject: 'CN=leaf' }).der);
    expect(x.ca).toBe(false);
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
  });

  it('omits EKU on a CA and drops named extensions on request', () => {
    const x = new X509Certificate(issueCertificate({ subject: 'CN=ca', ca: true, omitExtensions: ['basicConstraints'] }).der);
    expect(x.ca).toBe(false);
    expect(x.keyUsage).toBeUndefined();
  });

  it('rejects an unknown omitExtensions name', () =>
    expect(() => issueCertificate({ subject: 'CN=x', omitExtensions: ['nope' as never] })).toThrow(/unknown extension name/));

  it('accepts EKU OIDs as well as names', () => {
    const x = new X509Certificate(issueCertificate({ subject: 'CN=x', extendedKeyUsage: ['serverAuth', '1.2.3.4'] }).der);
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.2.3.4']);
  });
});
