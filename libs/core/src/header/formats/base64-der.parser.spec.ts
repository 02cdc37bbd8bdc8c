import { extractWithProfile } from '../extract-with-profile';
import { encode, expectOutcome, forwardedPki, type Expected } from '../testing/forwarded-pki.spec-helper';

const { leaf, intermediate, root, hostile } = forwardedPki();
const H = 'X-SSL-Client-Cert';
const C = 'X-SSL-Client-Chain';
const read = (pairs: Array<[string, string]>) => () => extractWithProfile({ format: 'base64-der', headers: { chain: C } }, pairs).certificate;
const b64 = encode.base64;

describe('base64-der parser', () => {
  it.each<[string, Array<[string, string]>, Expected]>([
    ['Azure App Service / HAProxy: one DER', [[H, b64(leaf.der)]], { leaf: leaf.der }],
    ['unpadded base64', [[H, b64(leaf.der).replace(/=+$/, '')]], { leaf: leaf.der }],
    ['HAProxy %{+Q} quotes', [[H, `"${b64(leaf.der)}"`]], { leaf: leaf.der }],
    [
      'a list in the certificate header ("<cert>, <cert>": a hop merged a client copy) -> HEADER_MALFORMED',
      [[H, `${b64(hostile.der)}, ${b64(leaf.der)}`]],
      'HEADER_MALFORMED',
    ],
    ['a list without a space -> HEADER_MALFORMED', [[H, `${b64(leaf.der)},${b64(intermediate.der)}`]], 'HEADER_MALFORMED'],
    ['concatenated DERs in the certificate header -> HEADER_MALFORMED', [[H, b64(Buffer.concat([leaf.der, intermediate.der]))]], 'HEADER_MALFORMED'],
    [
      'HAProxy ssl_c_chain_der: ONE blob of concatenated DERs',
      [
        [H, b64(leaf.der)],
        [C, b64(Buffer.concat([intermediate.der, root.der]))],
      ],
      { leaf: leaf.der, chain: [intermediate.der, root.der] },
    ],
    ['Caddy unfilled placeholder -> CERT_MISSING', [[H, '{http.request.tls.client.certificate_der_base64}']], 'CERT_MISSING'],
    ['HAProxy empty value -> CERT_MISSING', [[H, '']], 'CERT_MISSING'],
    ['quoted empty value -> CERT_MISSING', [[H, '""']], 'CERT_MISSING'],
    [
      'duplicate -> HEADER_MALFORMED',
      [
        [H, b64(hostile.der)],
        [H, b64(leaf.der)],
      ],
      'HEADER_MALFORMED',
    ],
    ['character outside the alphabet -> HEADER_MALFORMED', [[H, b64(leaf.der).replace(/^(.{10})./, '$1*')]], 'HEADER_MALFORMED'],
    ['base64url -> HEADER_MALFORMED', [[H, b64(leaf.der).replace(/\+/g, '-').replace(/\//g, '_') + '-_']], 'HEADER_MALFORMED'],
    ['padding in the middle -> HEADER_MALFORMED', [[H, b64(leaf.der).slice(0, 8) + '=' + b64(leaf.der).slice(8)]], 'HEADER_MALFORMED'],
    [
      'empty list item -> HEADER_MALFORMED',
      [
        [H, b64(leaf.der)],
        [C, `${b64(intermediate.der)},,${b64(root.der)}`],
      ],
      'HEADER_MALFORMED',
    ],
    [
      'truncated blob -> HEADER_MALFORMED',
      [
        [H, b64(leaf.der)],
        [C, b64(Buffer.concat([intermediate.der, root.der.subarray(0, 50)]))],
      ],
      'HEADER_MALFORMED',
    ],
    ['not DER at all -> HEADER_MALFORMED', [[H, b64(Buffer.from('hello world, not a certificate'))]], 'HEADER_MALFORMED'],
    [
      'blob of 11 certificates -> HEADER_MALFORMED',
      [
        [H, b64(leaf.der)],
        [C, b64(Buffer.concat(Array(10).fill(root.der)))],
      ],
      'HEADER_MALFORMED',
    ],
    ['oversized -> HEADER_MALFORMED', [[H, 'A'.repeat(65_537)]], 'HEADER_MALFORMED'],
  ])('%s', (_name, pairs, expected) => expectOutcome(read(pairs), expected));

  const traefik = (value: string) => () => extractWithProfile({ preset: 'traefik' }, [['X-Forwarded-Tls-Client-Cert', value]]).certificate;
  it.each<[string, string, Expected]>([
    [
      'Traefik: certificates joined by ","',
      [leaf, intermediate, root].map((c) => b64(c.der)).join(','),
      { leaf: leaf.der, chain: [intermediate.der, root.der] },
    ],
    ['Traefik: one certificate', b64(leaf.der), { leaf: leaf.der }],
    ['Traefik: empty list item -> HEADER_MALFORMED', `${b64(leaf.der)},,${b64(root.der)}`, 'HEADER_MALFORMED'],
  ])('%s', (_name, value, expected) => expectOutcome(traefik(value), expected));
});
