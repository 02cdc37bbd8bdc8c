import { extractWithProfile } from '../extract-with-profile';
import { encode, expectOutcome, forwardedPki, type Expected } from '../testing/forwarded-pki.spec-helper';

const { leaf, intermediate, root, hostile } = forwardedPki();
const H = 'X-SSL-Client-Cert';
const read = (pairs: Array<[string, string]>, chain?: string) => () =>
  extractWithProfile({ format: 'url-pem', headers: chain ? { chain } : undefined }, pairs).certificate;
// A certificate whose base64 has a "+" (most do; pick one that surely does).
const withPlus = [leaf, hostile, intermediate, root].find((c) => c.pem.includes('+'))!;

describe('url-pem parser', () => {
  it.each<[string, Array<[string, string]>, Expected]>([
    ['nginx $ssl_client_escaped_cert, leaf only', [[H, encode.urlPem(leaf.pem)]], { leaf: leaf.der }],
    [
      'ALB passthrough: leaf then chain, "+" "/" "=" unencoded',
      [[H, encode.albPem(leaf.pem + intermediate.pem + root.pem)]],
      { leaf: leaf.der, chain: [intermediate.der, root.der] },
    ],
    ['"+" stays "+" (never form-decoded to a space)', [[H, encode.albPem(withPlus.pem)]], { leaf: withPlus.der }],
    ['lower-case hex escapes', [[H, encode.urlPem(leaf.pem).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())]], { leaf: leaf.der }],
    ['one layer of quotes removed', [[H, `"${encode.urlPem(leaf.pem)}"`]], { leaf: leaf.der }],
    ['CRLF line ends', [[H, encode.urlPem(leaf.pem.replace(/\n/g, '\r\n'))]], { leaf: leaf.der }],
    ['absent -> CERT_MISSING', [], 'CERT_MISSING'],
    ['empty -> CERT_MISSING', [[H, '']], 'CERT_MISSING'],
    ['(null) -> CERT_MISSING', [[H, '(null)']], 'CERT_MISSING'],
    ['"-" -> CERT_MISSING', [[H, '-']], 'CERT_MISSING'],
    [
      'duplicate header -> HEADER_MALFORMED',
      [
        [H, encode.urlPem(hostile.pem)],
        [H.toLowerCase(), encode.urlPem(leaf.pem)],
      ],
      'HEADER_MALFORMED',
    ],
    ['"+" form-decoded to space -> HEADER_MALFORMED', [[H, encode.albPem(withPlus.pem).replace(/\+/g, ' ')]], 'HEADER_MALFORMED'],
    ['two layers of quotes -> HEADER_MALFORMED', [[H, `""${encode.urlPem(leaf.pem)}""`]], 'HEADER_MALFORMED'],
    ['lone "%" -> HEADER_MALFORMED', [[H, encode.urlPem(leaf.pem).replace('%0A', '%')]], 'HEADER_MALFORMED'],
    ['text before the PEM -> HEADER_MALFORMED', [[H, 'x' + encode.urlPem(leaf.pem)]], 'HEADER_MALFORMED'],
    ['private key block -> HEADER_MALFORMED', [[H, encode.urlPem(leaf.pem + leaf.keyPem)]], 'HEADER_MALFORMED'],
    ['missing END line -> HEADER_MALFORMED', [[H, encode.urlPem(leaf.pem.replace('-----END CERTIFICATE-----', ''))]], 'HEADER_MALFORMED'],
    ['11 certificates -> HEADER_MALFORMED', [[H, encode.urlPem(leaf.pem + root.pem.repeat(10))]], 'HEADER_MALFORMED'],
    ['underscore variant never read -> CERT_MISSING', [['X_SSL_Client_Cert', encode.urlPem(hostile.pem)]], 'CERT_MISSING'],
  ])('%s', (_name, pairs, expected) => expectOutcome(read(pairs), expected));

  it('reads a renamed chain header after the leaf', () => {
    expectOutcome(
      read(
        [
          [H, encode.urlPem(leaf.pem)],
          ['X-SSL-Client-Chain', encode.urlPem(intermediate.pem)],
        ],
        'X-SSL-Client-Chain',
      ),
      {
        leaf: leaf.der,
        chain: [intermediate.der],
      },
    );
  });
});
