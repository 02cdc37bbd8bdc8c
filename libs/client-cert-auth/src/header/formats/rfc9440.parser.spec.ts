import { extractWithProfile } from '../extract-with-profile';
import { encode, expectOutcome, forwardedPki, type Expected } from '../testing/forwarded-pki.spec-helper';

const { leaf, intermediate, root, hostile } = forwardedPki();
const read = (pairs: Array<[string, string]>, limits?: { maxHeaderBytes?: number; maxCertificates?: number }) => () =>
  extractWithProfile({ format: 'rfc9440', limits }, pairs).certificate;

describe('rfc9440 parser', () => {
  it.each<[string, Array<[string, string]>, Expected]>([
    ['leaf only', [['Client-Cert', encode.item(leaf.der)]], { leaf: leaf.der }],
    ['leaf + chain list', [['Client-Cert', encode.item(leaf.der)], ['Client-Cert-Chain', encode.list([intermediate.der, root.der])]], { leaf: leaf.der, chain: [intermediate.der, root.der] }],
    ['chain split over two header lines is concatenated in order', [['Client-Cert', encode.item(leaf.der)], ['Client-Cert-Chain', encode.item(intermediate.der)], ['client-cert-chain', encode.item(root.der)]], { leaf: leaf.der, chain: [intermediate.der, root.der] }],
    ['header names are case-insensitive', [['CLIENT-CERT', encode.item(leaf.der)]], { leaf: leaf.der }],
    ['parameters are ignored', [['Client-Cert', `${encode.item(leaf.der)};x=1`]], { leaf: leaf.der }],
    ['absent header -> CERT_MISSING', [], 'CERT_MISSING'],
    ['empty value (Cloudflare without a cert) -> CERT_MISSING', [['Client-Cert', '']], 'CERT_MISSING'],
    ['(null) sentinel -> CERT_MISSING', [['Client-Cert', '(null)']], 'CERT_MISSING'],
    ['Client-Cert twice -> HEADER_MALFORMED', [['Client-Cert', encode.item(leaf.der)], ['Client-Cert', encode.item(hostile.der)]], 'HEADER_MALFORMED'],
    ['two items in Client-Cert -> HEADER_MALFORMED', [['Client-Cert', encode.list([hostile.der, leaf.der])]], 'HEADER_MALFORMED'],
    ['bare base64 without colons -> HEADER_MALFORMED', [['Client-Cert', encode.base64(leaf.der)]], 'HEADER_MALFORMED'],
    ['sf-string instead of bytes -> HEADER_MALFORMED', [['Client-Cert', '"abc"']], 'HEADER_MALFORMED'],
    ['junk inside the byte sequence -> HEADER_MALFORMED', [['Client-Cert', `:${encode.base64(leaf.der).slice(0, 20)}!${encode.base64(leaf.der).slice(20)}:`]], 'HEADER_MALFORMED'],
    ['truncated DER -> HEADER_MALFORMED', [['Client-Cert', encode.item(leaf.der.subarray(0, leaf.der.length - 4))]], 'HEADER_MALFORMED'],
    ['DER with trailing bytes -> HEADER_MALFORMED', [['Client-Cert', encode.item(Buffer.concat([leaf.der, Buffer.from([0])]))]], 'HEADER_MALFORMED'],
    ['empty byte sequence -> HEADER_MALFORMED', [['Client-Cert', '::']], 'HEADER_MALFORMED'],
    ['inner list in the chain -> HEADER_MALFORMED', [['Client-Cert', encode.item(leaf.der)], ['Client-Cert-Chain', `(${encode.item(root.der)})`]], 'HEADER_MALFORMED'],
    ['chain over the certificate cap -> HEADER_MALFORMED', [['Client-Cert', encode.item(leaf.der)], ['Client-Cert-Chain', encode.list(Array(10).fill(root.der))]], 'HEADER_MALFORMED'],
    ['oversized total -> HEADER_MALFORMED', [['Client-Cert', encode.item(leaf.der)], ['Client-Cert-Chain', ' '.repeat(70_000)]], 'HEADER_MALFORMED'],
    ['underscore variant is never read -> CERT_MISSING', [['Client_Cert', encode.item(hostile.der)]], 'CERT_MISSING'],
  ])('%s', (_name, pairs, expected) => expectOutcome(read(pairs), expected));

  it('honours a lower header-byte cap', () => {
    expectOutcome(read([['Client-Cert', encode.item(leaf.der)]], { maxHeaderBytes: 100 }), 'HEADER_MALFORMED');
  });

  it('reports underscore variants next to a valid header', () => {
    const result = extractWithProfile({ format: 'rfc9440' }, [['Client-Cert', encode.item(leaf.der)], ['Client_Cert', encode.item(hostile.der)]]);
    expect(result.certificate.leaf.equals(leaf.der)).toBe(true);
    expect(result.ignoredHeaders).toEqual(['Client_Cert']);
  });
});
