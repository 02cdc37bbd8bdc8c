import { extractWithProfile } from '../extract-with-profile';
import { encode, expectOutcome, forwardedPki, sha256Hex, type Expected } from '../testing/forwarded-pki.spec-helper';
import { scanXfcc } from './xfcc-element.scanner';

const { leaf, intermediate, root, hostile } = forwardedPki();
const BY = 'spiffe://cluster.local/ns/default/sa/api';
const cert = encode.urlPem(leaf.pem);
const evil = encode.urlPem(hostile.pem);
const chain = encode.urlPem(leaf.pem + intermediate.pem);
const read = (value: string | string[], hops?: number) => () =>
  extractWithProfile(
    { format: 'xfcc', xfccElementFromEnd: hops },
    (Array.isArray(value) ? value : [value]).map((v): [string, string] => ['x-forwarded-client-cert', v]),
  ).certificate;

describe('xfcc parser', () => {
  it.each<[string, string | string[], Expected]>([
    ['Envoy element with Cert', encode.xfcc({ By: BY, Hash: sha256Hex(leaf.der), Cert: cert, Subject: 'CN=alice,O=Example', URI: '' }), { leaf: leaf.der }],
    ['Cert + Chain (Chain includes the leaf)', encode.xfcc({ By: BY, Cert: cert, Chain: chain }), { leaf: leaf.der, chain: [intermediate.der] }],
    [
      'Chain only: its first block is the leaf',
      encode.xfcc({ Chain: encode.urlPem(leaf.pem + intermediate.pem + root.pem) }),
      { leaf: leaf.der, chain: [intermediate.der, root.der] },
    ],
    ['keys are case-insensitive', `BY=${BY};cErT="${cert}"`, { leaf: leaf.der }],
    ['ALB-style half-encoded Cert keeps its "+"', `Cert="${encode.albPem(leaf.pem)}"`, { leaf: leaf.der }],
    [
      'one hop, two elements (a client element or a faked ",") -> HEADER_MALFORMED',
      [`${encode.xfcc({ Cert: evil })},${encode.xfcc({ By: BY, Cert: cert })}`],
      'HEADER_MALFORMED',
    ],
    [
      'SAN smuggling ",Cert=" makes a second element -> HEADER_MALFORMED',
      `By=${BY};Cert="${evil}";Subject="CN=mallory";URI=https://x/a,Cert=${cert}`,
      'HEADER_MALFORMED',
    ],
    ['SAN smuggling ";Cert=" repeats Cert -> HEADER_MALFORMED', `By=${BY};Cert="${evil}";URI=https://x/a;Cert=${cert}`, 'HEADER_MALFORMED'],
    ['SAN smuggling ";Chain=" twice -> HEADER_MALFORMED', `Chain="${chain}";URI=https://x/a;Chain=${chain}`, 'HEADER_MALFORMED'],
    [
      'SAN smuggling ";Hash=" repeats Hash -> HEADER_MALFORMED',
      `Hash=${sha256Hex(leaf.der)};Cert="${cert}";DNS=a;Hash=${sha256Hex(leaf.der)}`,
      'HEADER_MALFORMED',
    ],
    ['SAN smuggling ";Subject=" repeats Subject -> HEADER_MALFORMED', `Cert="${cert}";Subject="CN=alice";URI=x;Subject=CN=admin`, 'HEADER_MALFORMED'],
    ['a key Envoy never writes -> HEADER_MALFORMED', `Cert="${cert}";URI=https://x/a;Foo=bar`, 'HEADER_MALFORMED'],
    [
      'URI and DNS repeat, one pair per SAN (Envoy)',
      `By=${BY};Hash=${sha256Hex(leaf.der)};Cert="${cert}";Subject="CN=alice,O=Example";URI=;DNS=alice.example`,
      { leaf: leaf.der },
    ],
    ['By repeats, one per URI SAN of the proxy (Envoy)', `By=${BY};By=spiffe://cluster.local/ns/default/sa/other;Cert="${cert}"`, { leaf: leaf.der }],
    ['injection: quoted Subject carrying ;Cert= stays inside Subject', `By=${BY};Subject="CN=mallory;Cert=${evil}";Cert="${cert}"`, { leaf: leaf.der }],
    ['injection: escaped quote cannot close Subject early', `By=${BY};Subject="CN=x\\";Cert=\\"${evil}";Cert="${cert}"`, { leaf: leaf.der }],
    ['injection: unquoted Subject with ;Cert= -> key twice -> HEADER_MALFORMED', `By=${BY};Subject=CN=mallory;Cert=${evil};Cert=${cert}`, 'HEADER_MALFORMED'],
    ['injection: smuggled Cert after the real one -> HEADER_MALFORMED', `Cert="${cert}";Subject=x;cert="${evil}"`, 'HEADER_MALFORMED'],
    ['quote not wrapping the whole value (trailing) -> HEADER_MALFORMED', `Subject="CN=x"y;Cert="${cert}"`, 'HEADER_MALFORMED'],
    ['quote not wrapping the whole value (inner) -> HEADER_MALFORMED', `Subject=CN"x";Cert="${cert}"`, 'HEADER_MALFORMED'],
    ['unterminated quote -> HEADER_MALFORMED', `Cert="${cert}`, 'HEADER_MALFORMED'],
    ['element without a key -> HEADER_MALFORMED', `=x;Cert="${cert}"`, 'HEADER_MALFORMED'],
    ['trailing separator -> HEADER_MALFORMED', `Cert="${cert}";`, 'HEADER_MALFORMED'],
    ['Chain not starting with Cert -> HEADER_MALFORMED', encode.xfcc({ Cert: cert, Chain: encode.urlPem(hostile.pem + intermediate.pem) }), 'HEADER_MALFORMED'],
    ['two blocks in Cert -> HEADER_MALFORMED', encode.xfcc({ Cert: encode.urlPem(leaf.pem + hostile.pem) }), 'HEADER_MALFORMED'],
    ['Hash of another certificate -> HEADER_MALFORMED', encode.xfcc({ Hash: sha256Hex(hostile.der), Cert: cert }), 'HEADER_MALFORMED'],
    ['bad Hash -> HEADER_MALFORMED', encode.xfcc({ Hash: 'abc', Cert: cert }), 'HEADER_MALFORMED'],
    ['bad percent escape -> HEADER_MALFORMED', `Cert="${cert.replace('%0A', '%0G')}"`, 'HEADER_MALFORMED'],
    ['form-decoded "+" turned into space -> HEADER_MALFORMED', `Cert="${encode.albPem(leaf.pem).replace(/\+/g, '%20')}"`, 'HEADER_MALFORMED'],
    ['element without Cert/Chain -> CERT_MISSING', `By=${BY};Hash=${sha256Hex(leaf.der)};Subject="CN=alice"`, 'CERT_MISSING'],
    ['empty header -> CERT_MISSING', '', 'CERT_MISSING'],
    ['header sent twice -> HEADER_MALFORMED', [encode.xfcc({ Cert: evil }), encode.xfcc({ Cert: cert })], 'HEADER_MALFORMED'],
    ['more elements than trusted hops -> HEADER_MALFORMED', Array(11).fill(`By=${BY}`).join(',') + `,Cert="${cert}"`, 'HEADER_MALFORMED'],
  ])('%s', (_name, value, expected) => expectOutcome(read(value), expected));

  it('returns Hash as a sha256 claim', () => {
    const result = read(encode.xfcc({ Hash: sha256Hex(leaf.der).toUpperCase(), Cert: cert }))();
    expect(result.claims).toEqual({ sha256: sha256Hex(leaf.der) });
  });

  it('returns the URI and DNS pairs as claims, in order (a lone empty URI= is no URI SAN)', () => {
    expect(read(`Cert="${cert}";URI=;DNS=a.example;DNS=b.example`)().claims).toEqual({ uri: [], dns: ['a.example', 'b.example'] });
    expect(read(`Cert="${cert}";URI=spiffe://a/b;URI=https://c/d`)().claims).toEqual({ uri: ['spiffe://a/b', 'https://c/d'] });
  });

  it.each<[string, number, Expected]>([
    ['2 trusted hops: the element before the sidecar', 2, { leaf: leaf.der }],
    ['1 trusted hop with 2 elements -> HEADER_MALFORMED', 1, 'HEADER_MALFORMED'],
    ['3 trusted hops with only 2 elements -> HEADER_MALFORMED', 3, 'HEADER_MALFORMED'],
  ])('%s', (_name, hops, expected) => expectOutcome(read(`Cert="${cert}", By=spiffe://sidecar;Cert="${encode.urlPem(intermediate.pem)}"`, hops), expected));

  it('2 trusted hops: a SAN faking "," in the first element makes 3 elements -> HEADER_MALFORMED', () =>
    expectOutcome(read(`Cert="${evil}";URI=https://x/a,Cert=${cert},By=spiffe://sidecar;Cert="${encode.urlPem(intermediate.pem)}"`, 2), 'HEADER_MALFORMED'));

  it('scanner unescapes quoted values, lower-cases keys and keeps repeated URI/DNS in order', () => {
    expect(scanXfcc('By=a;Subject="CN=\\"q\\",O=x";URI=;DNS=b;DNS=c', 1)).toEqual([
      new Map([
        ['by', ['a']],
        ['subject', ['CN="q",O=x']],
        ['uri', ['']],
        ['dns', ['b', 'c']],
      ]),
    ]);
  });
});
