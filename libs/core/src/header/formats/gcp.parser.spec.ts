import { createHash } from 'node:crypto';
import { extractWithProfile } from '../extract-with-profile';
import { encode, expectOutcome, forwardedPki, type Expected } from '../testing/forwarded-pki.spec-helper';

const { leaf, intermediate, root, hostile } = forwardedPki();
const read = (pairs: Array<[string, string]>) => () =>
  extractWithProfile({ format: 'gcp', headers: { present: 'X-Client-Cert-Present', fingerprint: 'X-Client-Cert-Hash' } }, pairs).certificate;
const LEAF = 'X-Client-Cert-Leaf';
const CHAIN = 'X-Client-Cert-Chain';
const PRESENT = 'X-Client-Cert-Present';

describe('gcp parser', () => {
  it.each<[string, Array<[string, string]>, Expected]>([
    [
      'leaf + chain',
      [
        [PRESENT, 'true'],
        [LEAF, encode.item(leaf.der)],
        [CHAIN, encode.list([intermediate.der, root.der])],
      ],
      { leaf: leaf.der, chain: [intermediate.der, root.der] },
    ],
    ['leaf without present header', [[LEAF, encode.item(leaf.der)]], { leaf: leaf.der }],
    [
      'present=false -> CERT_MISSING even with a leaf',
      [
        [PRESENT, 'false'],
        [LEAF, encode.item(hostile.der)],
      ],
      'CERT_MISSING',
    ],
    [
      'present=true, empty leaf (failed validation) -> CERT_MISSING',
      [
        [PRESENT, 'true'],
        [LEAF, ''],
      ],
      'CERT_MISSING',
    ],
    [
      'present=maybe -> HEADER_MALFORMED',
      [
        [PRESENT, 'maybe'],
        [LEAF, encode.item(leaf.der)],
      ],
      'HEADER_MALFORMED',
    ],
    [
      'present twice -> HEADER_MALFORMED',
      [
        [PRESENT, 'true'],
        [PRESENT, 'false'],
        [LEAF, encode.item(leaf.der)],
      ],
      'HEADER_MALFORMED',
    ],
    [
      'leaf twice -> HEADER_MALFORMED',
      [
        [LEAF, encode.item(hostile.der)],
        [LEAF, encode.item(leaf.der)],
      ],
      'HEADER_MALFORMED',
    ],
    ['leaf as plain base64 -> HEADER_MALFORMED', [[LEAF, encode.base64(leaf.der)]], 'HEADER_MALFORMED'],
    [
      'fingerprint of another certificate -> HEADER_MALFORMED',
      [
        [LEAF, encode.item(leaf.der)],
        ['X-Client-Cert-Hash', createHash('sha256').update(hostile.der).digest('base64')],
      ],
      'HEADER_MALFORMED',
    ],
    [
      'fingerprint not a SHA-256 -> HEADER_MALFORMED',
      [
        [LEAF, encode.item(leaf.der)],
        ['X-Client-Cert-Hash', 'abc'],
      ],
      'HEADER_MALFORMED',
    ],
  ])('%s', (_name, pairs, expected) => expectOutcome(read(pairs), expected));

  it('turns the base64 fingerprint into a hex sha256 claim', () => {
    const base64 = createHash('sha256').update(leaf.der).digest('base64');
    const result = read([
      [LEAF, encode.item(leaf.der)],
      ['X-Client-Cert-Hash', base64],
    ])();
    expect(result.claims).toEqual({ sha256: createHash('sha256').update(leaf.der).digest('hex') });
  });
});
