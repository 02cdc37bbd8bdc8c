import fc from 'fast-check';
import { parseItem } from '../decoding/structured-field.adapter';
import { extractWithProfile } from '../extract-with-profile';
import { decodeByteSequenceItem, isCanonicalByteSequence } from './rfc9440.parser';
import { encode, expectOutcome, forwardedPki, type Expected } from '../testing/forwarded-pki.spec-helper';

const { leaf, intermediate, root, hostile } = forwardedPki();
const read = (pairs: Array<[string, string]>, limits?: { maxHeaderBytes?: number; maxCertificates?: number }) => () =>
  extractWithProfile({ format: 'rfc9440', limits }, pairs).certificate;

describe('rfc9440 parser', () => {
  it.each<[string, Array<[string, string]>, Expected]>([
    ['leaf only', [['Client-Cert', encode.item(leaf.der)]], { leaf: leaf.der }],
    [
      'leaf + chain list',
      [
        ['Client-Cert', encode.item(leaf.der)],
        ['Client-Cert-Chain', encode.list([intermediate.der, root.der])],
      ],
      { leaf: leaf.der, chain: [intermediate.der, root.der] },
    ],
    [
      'chain split over two header lines is concatenated in order',
      [
        ['Client-Cert', encode.item(leaf.der)],
        ['Client-Cert-Chain', encode.item(intermediate.der)],
        ['client-cert-chain', encode.item(root.der)],
      ],
      { leaf: leaf.der, chain: [intermediate.der, root.der] },
    ],
    ['header names are case-insensitive', [['CLIENT-CERT', encode.item(leaf.der)]], { leaf: leaf.der }],
    ['parameters are ignored', [['Client-Cert', `${encode.item(leaf.der)};x=1`]], { leaf: leaf.der }],
    ['absent header -> CERT_MISSING', [], 'CERT_MISSING'],
    ['empty value (Cloudflare without a cert) -> CERT_MISSING', [['Client-Cert', '']], 'CERT_MISSING'],
    ['(null) sentinel -> CERT_MISSING', [['Client-Cert', '(null)']], 'CERT_MISSING'],
    ["Caddy's unfilled placeholder inside the colons -> CERT_MISSING", [['Client-Cert', ':{http.request.tls.client.certificate_der_base64}:']], 'CERT_MISSING'],
    [
      'an unfilled placeholder inside the colons, padded -> CERT_MISSING',
      [['Client-Cert', ' :{http.request.tls.client.certificate_der_base64}: ']],
      'CERT_MISSING',
    ],
    ['a placeholder followed by base64 -> HEADER_MALFORMED', [['Client-Cert', `:{x}${encode.base64(leaf.der)}:`]], 'HEADER_MALFORMED'],
    [
      'Client-Cert twice -> HEADER_MALFORMED',
      [
        ['Client-Cert', encode.item(leaf.der)],
        ['Client-Cert', encode.item(hostile.der)],
      ],
      'HEADER_MALFORMED',
    ],
    ['two items in Client-Cert -> HEADER_MALFORMED', [['Client-Cert', encode.list([hostile.der, leaf.der])]], 'HEADER_MALFORMED'],
    ['bare base64 without colons -> HEADER_MALFORMED', [['Client-Cert', encode.base64(leaf.der)]], 'HEADER_MALFORMED'],
    ['sf-string instead of bytes -> HEADER_MALFORMED', [['Client-Cert', '"abc"']], 'HEADER_MALFORMED'],
    [
      'junk inside the byte sequence -> HEADER_MALFORMED',
      [['Client-Cert', `:${encode.base64(leaf.der).slice(0, 20)}!${encode.base64(leaf.der).slice(20)}:`]],
      'HEADER_MALFORMED',
    ],
    ['truncated DER -> HEADER_MALFORMED', [['Client-Cert', encode.item(leaf.der.subarray(0, leaf.der.length - 4))]], 'HEADER_MALFORMED'],
    ['DER with trailing bytes -> HEADER_MALFORMED', [['Client-Cert', encode.item(Buffer.concat([leaf.der, Buffer.from([0])]))]], 'HEADER_MALFORMED'],
    ['empty byte sequence -> HEADER_MALFORMED', [['Client-Cert', '::']], 'HEADER_MALFORMED'],
    [
      'inner list in the chain -> HEADER_MALFORMED',
      [
        ['Client-Cert', encode.item(leaf.der)],
        ['Client-Cert-Chain', `(${encode.item(root.der)})`],
      ],
      'HEADER_MALFORMED',
    ],
    [
      'chain over the certificate cap -> HEADER_MALFORMED',
      [
        ['Client-Cert', encode.item(leaf.der)],
        ['Client-Cert-Chain', encode.list(Array(10).fill(root.der))],
      ],
      'HEADER_MALFORMED',
    ],
    [
      'oversized total -> HEADER_MALFORMED',
      [
        ['Client-Cert', encode.item(leaf.der)],
        ['Client-Cert-Chain', ' '.repeat(70_000)],
      ],
      'HEADER_MALFORMED',
    ],
    ['underscore variant is never read -> CERT_MISSING', [['Client_Cert', encode.item(hostile.der)]], 'CERT_MISSING'],
  ])('%s', (_name, pairs, expected) => expectOutcome(read(pairs), expected));

  it('honours a lower header-byte cap', () => {
    expectOutcome(read([['Client-Cert', encode.item(leaf.der)]], { maxHeaderBytes: 100 }), 'HEADER_MALFORMED');
  });

  it('reports underscore variants next to a valid header', () => {
    const result = extractWithProfile({ format: 'rfc9440' }, [
      ['Client-Cert', encode.item(leaf.der)],
      ['Client_Cert', encode.item(hostile.der)],
    ]);
    expect(result.certificate.leaf.equals(leaf.der)).toBe(true);
    expect(result.ignoredHeaders).toEqual(['Client_Cert']);
  });

  it('decodes the canonical item directly, to exactly the bytes the RFC 8941 parser gives', () => {
    const der = decodeByteSequenceItem(encode.item(leaf.der), 'Client-Cert');
    expect(der.equals(leaf.der)).toBe(true);
    expect(der.buffer.byteLength).toBe(der.length); // its own memory, not Node's shared pool
    // Any canonical :base64: item: the fast path's bytes equal structured-headers'. Random bytes are
    // no DER, so compare the decoding step itself (Buffer, checked by re-encoding) against the parser.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const item = `:${Buffer.from(bytes).toString('base64')}:`;
        expect(isCanonicalByteSequence(item)).toBe(true);
        expect(Buffer.from(item.slice(1, -1), 'base64').equals(Buffer.from(parseItem(item)[0] as ArrayBuffer))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['::', ':AAAA:', ':AA==:', ':AAA=:'])('takes %s as canonical', (item) => expect(isCanonicalByteSequence(item)).toBe(true));

  it.each([':A:', ':AA=:', ':A===:', ':AA=A:', ':AA A:', ':AA!A:', 'AAAA', ':AAAA:;x=1', ' :AAAA:', ':AB==:', ':AA-_:', ':AA\nA:'])(
    'leaves %s to the general parser',
    (item) => {
      expect(isCanonicalByteSequence(item)).toBe(false);
    },
  );

  it.each([
    ['unpadded base64 (RFC 8941 parsers should accept it)', (b64: string) => `:${b64.replace(/=+$/, '')}:`],
    ['a parameter', (b64: string) => `:${b64}:;v=1`],
  ])('still reads an item with %s, through the general parser', (_label, shape) => {
    // A DER whose base64 needs padding, so the unpadded form really differs.
    const der = [leaf.der, intermediate.der, root.der].find((d) => d.length % 3 !== 0) ?? leaf.der;
    expect(decodeByteSequenceItem(shape(der.toString('base64')), 'Client-Cert').equals(der)).toBe(true);
  });
});
