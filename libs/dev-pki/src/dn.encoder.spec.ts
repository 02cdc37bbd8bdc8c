import { X509Certificate } from 'node:crypto';
import { readChildren, readTlv } from './der';
import { encodeDn, parseDn } from './dn.encoder';
import { issueCertificate } from './certificate.issuer';

describe('parseDn', () => {
  it.each([
    [
      'CN=alice,O=Example,C=DE',
      [
        ['CN', 'alice'],
        ['O', 'Example'],
        ['C', 'DE'],
      ],
    ],
    [
      'CN=a\\,b,O=x\\+y\\=z',
      [
        ['CN', 'a,b'],
        ['O', 'x+y=z'],
      ],
    ],
    ['CN=back\\\\slash', [['CN', 'back\\slash']]],
    [
      ' CN = spaced , O=\\ lead',
      [
        ['CN', 'spaced'],
        ['O', ' lead'],
      ],
    ],
    ['CN=J\\C3\\BCrgen', [['CN', 'Jürgen']]],
    [
      'UID=u1,DC=example,DC=com,emailAddress=a@b.c,L=Berlin,ST=BE,OU=Dev',
      [
        ['UID', 'u1'],
        ['DC', 'example'],
        ['DC', 'com'],
        ['emailAddress', 'a@b.c'],
        ['L', 'Berlin'],
        ['ST', 'BE'],
        ['OU', 'Dev'],
      ],
    ],
    ['2.5.4.97=VATDE-1', [['2.5.4.97', 'VATDE-1']]],
  ])('%s', (dn, expected) => {
    expect(parseDn(dn).map((rdn) => [rdn[0].type, rdn[0].value])).toEqual(expected);
  });

  it('splits multi-valued RDNs on +', () => expect(parseDn('CN=a+UID=b,O=c')[0].map((a) => a.type)).toEqual(['CN', 'UID']));

  it.each([['CN'], ['XX=1'], ['CN=a\\']])('rejects %s', (dn) => expect(() => parseDn(dn)).toThrow(/dev-pki/));
});

describe('encodeDn', () => {
  it('writes the least specific RDN first, with the right string types', () => {
    const der = encodeDn('CN=Jürgen,DC=example,emailAddress=a@b.c,C=DE');
    const rdns = readChildren(der, readTlv(der));
    const valueTags = rdns.map((set) => {
      const atv = readChildren(der, readChildren(der, set)[0]);
      return der[atv[1].offset];
    });
    expect(valueTags).toEqual([0x13, 0x16, 0x16, 0x0c]); // C Printable, email IA5, DC IA5, CN UTF8
  });

  it('round-trips through node X509Certificate in DER order', () => {
    const cert = new X509Certificate(issueCertificate({ subject: 'CN=a\\,b,OU=Dev,O=Ex,C=DE' }).der);
    expect(cert.subject.split('\n')).toEqual(['C=DE', 'O=Ex', 'OU=Dev', 'CN=a\\,b']);
  });

  it('encodes an empty subject as an empty SEQUENCE', () => expect(encodeDn('').toString('hex')).toBe('3000'));
});
