import * as fc from 'fast-check';
import { LOOKALIKES } from '../testing/dn-lookalike.corpus';
import { normalizePlainDn } from './dn-plain.fast-path';
import { normalizeAnyDn, normalizeDn } from './dn.normalizer';

/** What the general normalizer answers: a key, or the error it throws. */
function general(dn: string): string {
  try {
    return normalizeAnyDn(dn);
  } catch (error) {
    return `throws ${(error as Error).name}: ${(error as Error).message}`;
  }
}

/** Checks one DN: when the fast path answers, it answers exactly what the general one does. */
function agrees(dn: string): boolean {
  const fast = normalizePlainDn(dn);
  if (fast === undefined) return true;
  expect({ dn, key: fast }).toEqual({ dn, key: general(dn) });
  return true;
}

/** Characters weighted towards ASCII names, with every character that matters to the grammar. */
const character = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(..."abcxyzABCXYZ0129 .-_@:/'()") },
  { weight: 3, arbitrary: fc.constantFrom(...',=+;"\\#<> ') },
  { weight: 2, arbitrary: fc.constantFrom('é', '\u00A0', 'Ａ', '\t', '\u0000', '\u0130', '\u212A', 'ſ', '\u3000', '😀', '\u0301') },
);
const value = fc.array(character, { maxLength: 12 }).map((chars) => chars.join(''));
const type = fc.constantFrom(
  'CN',
  'cn',
  ' O ',
  'ou',
  'C',
  'e',
  'Email',
  'OID.2.5.4.3',
  'oid.2.5.4.10',
  '2.5.4.11',
  '1.2.3',
  'x-y',
  'C N',
  '',
  '9a',
  'ｃｎ',
  'userid',
);
const rdn = fc.tuple(type, value).map(([t, v]) => `${t}=${v}`);
const dnOf = (separators: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.array(fc.tuple(rdn, separators), { minLength: 1, maxLength: 6 }), fc.constantFrom('', ' ', '  '))
    .map(([parts, pad]) => pad + parts.map(([r, sep], i) => (i === 0 ? r : sep + r)).join('') + pad);

describe('the plain ASCII fast path of normalizeDn', () => {
  it('gives byte-identical keys on random DNs (fast-check, 20,000 runs)', () => {
    fc.assert(fc.property(dnOf(fc.constantFrom(',', ', ', ' , ', ';', '+')), agrees), { numRuns: 20_000 });
  });

  it('gives byte-identical keys on random printable-ASCII strings (10,000 runs)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii', maxLength: 60 }), agrees), { numRuns: 10_000 });
  });

  it.each(LOOKALIKES)('agrees with the general normalizer on both sides of the look-alike %s', (_label, certificate, binding) => {
    agrees(certificate);
    agrees(binding);
    expect(normalizeDn(certificate)).toBe(general(certificate));
    expect(normalizeDn(binding)).toBe(general(binding));
  });

  it('takes the fast path for the names certificates carry (the test above is not vacuous)', () => {
    const plain = [
      'CN=client 123,OU=Payments,O=Example Corp,L=Berlin,C=DE',
      'CN=Issuing CA,O=Example',
      ' cn = a , o = B ',
      'emailAddress=a@example.com,CN=x',
      '2.5.4.3=alice',
      'CN=',
    ];
    for (const dn of plain) expect(normalizePlainDn(dn)).toBe(normalizeAnyDn(dn));
    const sample = fc.sample(dnOf(fc.constant(',')), { numRuns: 2000, seed: 14 });
    const fast = sample.filter((dn) => normalizePlainDn(dn) !== undefined).length;
    expect(fast).toBeGreaterThan(100);
  });

  it.each([
    ['an escape', 'CN=a\\,b'],
    ['quotes', 'CN="a,b"'],
    ['a hex value', 'CN=#0403616263'],
    ['a multi-valued RDN', 'CN=a+UID=b'],
    ['a semicolon separator', 'CN=a;O=b'],
    ['a second equals sign', 'CN=a=b'],
    ['non-ASCII', 'CN=Jürgen'],
    ['a no-break space', 'O=Example\u00A0Org'],
    ['a tab', 'O=Example\tOrg'],
    ['an empty RDN', 'CN=a,,O=b'],
    ['an invalid type', 'C N=a'],
    ['no DN at all', '   '],
  ])('leaves %s to the general normalizer', (_label, dn) => {
    expect(normalizePlainDn(dn)).toBeUndefined();
  });
});
