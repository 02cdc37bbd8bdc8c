import { extractWithProfile } from '../extract-with-profile';
import { encode, expectOutcome, forwardedPki, type Expected } from '../testing/forwarded-pki.spec-helper';

const { leaf, intermediate, root, hostile } = forwardedPki();
const H = 'X-SSL-Client-Cert';
const P = 'X-SSL-Client-Cert-Chain-';
const read = (pairs: Array<[string, string]>) => () => extractWithProfile({ format: 'pem', headers: { chainPrefix: P } }, pairs).certificate;

describe('pem parser', () => {
  it.each<[string, Array<[string, string]>, Expected]>([
    ['Apache: newlines became spaces', [[H, encode.spacedPem(leaf.pem)]], { leaf: leaf.der }],
    ['nginx legacy: tab continuations', [[H, encode.tabbedPem(leaf.pem)]], { leaf: leaf.der }],
    ['HAProxy %{+Q}: one layer of quotes', [[H, `"${encode.spacedPem(leaf.pem)}"`]], { leaf: leaf.der }],
    ['several blocks in one header: leaf first', [[H, encode.spacedPem(leaf.pem + intermediate.pem)]], { leaf: leaf.der, chain: [intermediate.der] }],
    [
      'Apache numbered chain headers _0, _1',
      [
        [H, encode.spacedPem(leaf.pem)],
        [`${P}0`, encode.spacedPem(intermediate.pem)],
        [`${P}1`, encode.spacedPem(root.pem)],
      ],
      { leaf: leaf.der, chain: [intermediate.der, root.der] },
    ],
    [
      'numbered chain stops at the first (null)',
      [
        [H, encode.spacedPem(leaf.pem)],
        [`${P}0`, encode.spacedPem(intermediate.pem)],
        [`${P}1`, '(null)'],
        [`${P}2`, encode.spacedPem(root.pem)],
      ],
      { leaf: leaf.der, chain: [intermediate.der] },
    ],
    ['Apache (null) -> CERT_MISSING', [[H, '(null)']], 'CERT_MISSING'],
    ['empty -> CERT_MISSING', [[H, '  ']], 'CERT_MISSING'],
    [
      'duplicate -> HEADER_MALFORMED',
      [
        [H, encode.spacedPem(leaf.pem)],
        [H, encode.spacedPem(hostile.pem)],
      ],
      'HEADER_MALFORMED',
    ],
    [
      'duplicate numbered chain header -> HEADER_MALFORMED',
      [
        [H, encode.spacedPem(leaf.pem)],
        [`${P}0`, encode.spacedPem(root.pem)],
        [`${P}0`, encode.spacedPem(root.pem)],
      ],
      'HEADER_MALFORMED',
    ],
    ['junk between blocks -> HEADER_MALFORMED', [[H, encode.spacedPem(leaf.pem) + ' junk ' + encode.spacedPem(root.pem)]], 'HEADER_MALFORMED'],
    [
      'a "-" inside the body -> HEADER_MALFORMED',
      [[H, encode.spacedPem(leaf.pem).replace('-----BEGIN CERTIFICATE----- ', '-----BEGIN CERTIFICATE----- -')]],
      'HEADER_MALFORMED',
    ],
    ['url-encoded PEM in a pem profile -> HEADER_MALFORMED', [[H, encode.urlPem(leaf.pem)]], 'HEADER_MALFORMED'],
    [
      '11 numbered chain headers -> HEADER_MALFORMED',
      [[H, encode.spacedPem(leaf.pem)], ...Array.from({ length: 11 }, (_, n): [string, string] => [`${P}${n}`, encode.spacedPem(root.pem)])],
      'HEADER_MALFORMED',
    ],
  ])('%s', (_name, pairs, expected) => expectOutcome(read(pairs), expected));
});
