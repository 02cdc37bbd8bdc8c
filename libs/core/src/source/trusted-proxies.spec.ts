import * as fc from 'fast-check';
import type { HeaderFormat } from '../header/header-format';
import { encode, forwardedPki } from '../header/testing/forwarded-pki.spec-helper';
import type { ProxyProfileOptions } from '../options/proxy-profile.options';
import { TrustedProxies } from './trusted-proxies';

const { leaf, hostile } = forwardedPki();
const NOW = 1_800_000_000_000;
const SECRET = 's'.repeat(24);
const KEY = 'k'.repeat(40);

/** One profile per format, each on its own address, and what a client would forge for it. */
const FORMATS: Array<[HeaderFormat, string, Array<[string, string]>]> = [
  ['rfc9440', '10.0.0.1', [['Client-Cert', encode.item(hostile.der)]]],
  ['xfcc', '10.0.0.2', [['X-Forwarded-Client-Cert', `Cert="${encode.urlPem(hostile.pem)}"`]]],
  ['url-pem', '10.0.0.3', [['X-SSL-Client-Cert', encode.urlPem(hostile.pem)]]],
  ['pem', '10.0.0.4', [['X-SSL-Client-Cert', encode.spacedPem(hostile.pem)]]],
  ['base64-der', '10.0.0.5', [['X-SSL-Client-Cert', encode.base64(hostile.der)]]],
  ['gcp', '10.0.0.6', [['X-Client-Cert-Leaf', encode.item(hostile.der)]]],
];
const profiles: ProxyProfileOptions[] = [
  ...FORMATS.map(([format, address]): ProxyProfileOptions => ({ name: format, from: [address], format })),
  { name: 'v6', from: ['fd00::/8'], preset: 'nginx', verdicts: [] },
  { name: 'secret', from: ['10.1.0.0/16'], format: 'rfc9440', sharedSecret: { header: 'X-Proxy-Secret', values: [SECRET] } },
  {
    name: 'hmac',
    from: ['10.2.0.0/16'],
    format: 'rfc9440',
    hmac: { header: 'X-Proxy-Mac', timestampHeader: 'X-Proxy-Time', nonceHeader: 'X-Proxy-Nonce', secrets: [KEY] },
  },
  { name: 'behind-lb', from: ['10.3.0.0/16'], format: 'base64-der', trustedHops: 1, hopsFrom: ['10.9.0.0/24'] },
];
const proxies = new TrustedProxies(profiles, undefined, () => NOW);
const request = (remoteAddress: string | undefined, pairs: Array<[string, string]>) => ({
  remoteAddress,
  rawHeaders: pairs.flatMap(([name, value]) => [name, value]),
});
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
};

describe('TrustedProxies', () => {
  it.each(FORMATS)('%s: a forged header from outside every profile -> SOURCE_UNTRUSTED', (_format, _address, forged) => {
    for (const peer of ['203.0.113.9', '::ffff:203.0.113.9', '2001:db8::1', '127.0.0.1', undefined, 'garbage']) {
      expect(codeOf(() => proxies.extract(request(peer, forged)))).toBe('SOURCE_UNTRUSTED');
    }
  });

  it.each(FORMATS)('%s: the same header from its proxy is read (also as an IPv4-mapped peer)', (format, address, forged) => {
    for (const peer of [address, `::ffff:${address}`]) {
      const result = proxies.extract(request(peer, forged));
      expect(result).toMatchObject({ profile: format, format });
      expect(result.certificate.leaf.equals(hostile.der)).toBe(true);
    }
  });

  it.each(FORMATS)('%s: a forged header from ANOTHER profile’s proxy is not read with that profile’s format', (format, _a, forged) => {
    const other = FORMATS.find(([f]) => f !== format && !['url-pem', 'pem', 'base64-der'].includes(f))!;
    expect(codeOf(() => proxies.extract(request(other[1], forged)))).not.toBe('accepted');
  });

  it('property: from any address outside every profile, no format is ever read', () => {
    const inside = ['10.0.0.', '10.1.', '10.2.', '10.3.', 'fd'];
    const address = fc
      .oneof(
        fc.ipV4(),
        fc.ipV6(),
        fc.ipV4().map((v4) => `::ffff:${v4}`),
      )
      .filter((a) => !inside.some((p) => a.replace(/^::ffff:/, '').startsWith(p)));
    fc.assert(
      fc.property(address, fc.constantFrom(...FORMATS), (peer, [, , forged]) => {
        expect(codeOf(() => proxies.extract(request(peer, [...forged, ['X-Forwarded-For', '10.0.0.1']])))).toBe('SOURCE_UNTRUSTED');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) },
    );
  });

  it.each(FORMATS)('%s: an IPv6 peer with the IPv4-compatible form of the proxy address is not the proxy', (_format, address, forged) => {
    // ::10.0.0.1 is the IPv6 address ::a00:1, not the IPv4-mapped ::ffff:10.0.0.1.
    for (const peer of [`::${address}`, `0:0:0:0:0:0:${address}`]) {
      expect(codeOf(() => proxies.extract(request(peer, forged)))).toBe('SOURCE_UNTRUSTED');
      expect(proxies.warmKey(request(peer, forged))).toBeUndefined();
    }
  });

  it('an IPv4-compatible X-Forwarded-For entry is not the IPv4 proxy behind the load balancer', () => {
    const pairs: Array<[string, string]> = [
      ['X-Forwarded-For', '::10.3.0.1'],
      ['X-SSL-Client-Cert', encode.base64(leaf.der)],
    ];
    expect(codeOf(() => proxies.extract(request('10.9.0.7', pairs)))).toBe('SOURCE_UNTRUSTED');
  });

  it('names the spoofed headers in the log details', () => {
    expect(() =>
      proxies.extract(
        request('203.0.113.9', [
          ['client-cert', ':AA==:'],
          ['X_SSL_Client_Cert', 'x'],
        ]),
      ),
    ).toThrow(expect.objectContaining({ details: expect.objectContaining({ spoofedHeaders: ['client-cert', 'X_SSL_Client_Cert'] }) }));
  });

  it.each<[string, string, Array<[string, string]>, string]>([
    ['IPv6 peer in fd00::/8', 'fd00::1', [['X-SSL-Client-Cert', encode.urlPem(leaf.pem)]], 'accepted'],
    [
      'shared secret right',
      '10.1.0.1',
      [
        ['Client-Cert', encode.item(leaf.der)],
        ['X-Proxy-Secret', SECRET],
      ],
      'accepted',
    ],
    [
      'shared secret wrong',
      '10.1.0.1',
      [
        ['Client-Cert', encode.item(leaf.der)],
        ['X-Proxy-Secret', SECRET + 'x'],
      ],
      'SOURCE_UNTRUSTED',
    ],
    ['shared secret absent', '10.1.0.1', [['Client-Cert', encode.item(leaf.der)]], 'SOURCE_UNTRUSTED'],
    ['shared secret right, no certificate', '10.1.0.1', [['X-Proxy-Secret', SECRET]], 'CERT_MISSING'],
    ['HMAC absent (trusted-proxies.hmac.spec.ts has the rest)', '10.2.0.1', [['Client-Cert', encode.item(leaf.der)]], 'SOURCE_UNTRUSTED'],
    [
      'behind a trusted LB: X-Forwarded-For names the proxy',
      '10.9.0.7',
      [
        ['X-Forwarded-For', '6.6.6.6, 10.3.0.1'],
        ['X-SSL-Client-Cert', encode.base64(leaf.der)],
      ],
      'accepted',
    ],
    [
      'behind a trusted LB: forged X-Forwarded-For',
      '10.9.0.7',
      [
        ['X-Forwarded-For', '10.3.0.1, 6.6.6.6'],
        ['X-SSL-Client-Cert', encode.base64(leaf.der)],
      ],
      'SOURCE_UNTRUSTED',
    ],
    [
      'client-written X-Forwarded-For sent straight to us',
      '203.0.113.9',
      [
        ['X-Forwarded-For', '10.3.0.1'],
        ['X-SSL-Client-Cert', encode.base64(leaf.der)],
      ],
      'SOURCE_UNTRUSTED',
    ],
    [
      'duplicate certificate header from a trusted proxy',
      '10.0.0.1',
      [
        ['Client-Cert', encode.item(leaf.der)],
        ['client-cert', encode.item(hostile.der)],
      ],
      'HEADER_MALFORMED',
    ],
  ])('%s -> %s', (_n, peer, pairs, expected) => expect(codeOf(() => proxies.extract(request(peer, pairs)))).toBe(expected));

  it('reports underscore variants of every watched header, secrets included', () => {
    const result = proxies.extract(
      request('10.1.0.1', [
        ['Client-Cert', encode.item(leaf.der)],
        ['X-Proxy-Secret', SECRET],
        ['X_Proxy_Secret', 'x'],
        ['Client_Cert', 'y'],
      ]),
    );
    expect(result.ignoredHeaders?.sort()).toEqual(['Client_Cert', 'X_Proxy_Secret']);
  });

  it('lists every certificate header name any profile reads', () => {
    expect([...proxies.certificateHeaderNames].sort()).toEqual(
      ['client-cert', 'client-cert-chain', 'x-client-cert-chain', 'x-client-cert-leaf', 'x-forwarded-client-cert', 'x-ssl-client-cert'].sort(),
    );
  });

  it('a client that reaches the load balancer directly is refused, not read through the proxy it bypassed', () => {
    // Today's case: behind-lb (10.3/16 via the LB 10.9.0.0/24) plus an LB listed as a proxy.
    const direct = request('10.9.0.7', [
      ['X-Forwarded-For', '203.0.113.9'],
      ['X-SSL-Client-Cert', encode.base64(hostile.der)],
    ]);
    const attempt = () =>
      new TrustedProxies([
        { name: 'behind-lb', from: ['10.3.0.0/16'], format: 'base64-der', trustedHops: 1, hopsFrom: ['10.9.0.0/24'] },
        { name: 'lb', from: ['10.9.0.0/24'], format: 'base64-der' },
      ]).extract(direct);
    expect(codeOf(attempt)).not.toBe('accepted');
  });

  it('applies module-wide limits', () => {
    const strict = new TrustedProxies([{ name: 'p', from: ['10.0.0.1'], format: 'rfc9440' }], { maxHeaderBytes: 64 });
    expect(codeOf(() => strict.extract(request('10.0.0.1', [['Client-Cert', encode.item(leaf.der)]])))).toBe('HEADER_MALFORMED');
  });

  it.each<[string, unknown, RegExp]>([
    ['no profiles', [], /at least one entry in "proxies"/],
    [
      'duplicate names',
      [
        { name: 'a', from: ['10.0.0.1'], format: 'pem' },
        { name: 'a', from: ['10.0.0.2'], format: 'pem' },
      ],
      /Two proxy profiles are named "a"/,
    ],
    ['bad name', [{ name: 'a b', from: ['10.0.0.1'], format: 'pem' }], /must be 1-64 letters/],
    ['no from', [{ name: 'a', format: 'pem' }], /at least one address/],
    ['any source', [{ name: 'a', from: ['0.0.0.0/0'], format: 'pem' }], /trusts every address/],
    ['trustedHops without hopsFrom', [{ name: 'a', from: ['10.0.0.1'], format: 'pem', trustedHops: 1 }], /needs "hopsFrom"/],
    ['hopsFrom without trustedHops', [{ name: 'a', from: ['10.0.0.1'], format: 'pem', hopsFrom: ['10.9.0.0/24'] }], /only used with trustedHops/],
    ['unknown format', [{ name: 'a', from: ['10.0.0.1'], format: 'der' }], /set "format" to one of/],
    ['bad limit', [{ name: 'a', from: ['10.0.0.1'], format: 'pem', limits: { maxCertificates: 0 } }], /limits.maxCertificates must be a positive integer/],
    ['bad xfcc hop', [{ name: 'a', from: ['10.0.0.1'], format: 'xfcc', xfccElementFromEnd: 0 }], /xfccElementFromEnd must be a positive integer/],
    ['bad verdict', [{ name: 'a', from: ['10.0.0.1'], format: 'pem', verdicts: [{ header: 'X' }] }], /expected string values/],
    [
      'a load balancer that is a hop of one profile and the proxy of another',
      [
        { name: 'behind-lb', from: ['10.3.0.0/16'], format: 'pem', trustedHops: 1, hopsFrom: ['10.9.0.0/24'] },
        { name: 'lb', from: ['10.9.0.7'], format: 'pem' },
      ],
      /"lb" trusts 10.9.0.7 \/ 10.9.0.0\/24 in "from", which "behind-lb" lists in "hopsFrom"/,
    ],
    [
      'the same overlap, the direct profile first',
      [
        { name: 'lb', from: ['10.9.0.0/16'], format: 'pem' },
        { name: 'behind-lb', from: ['10.3.0.0/16'], format: 'pem', trustedHops: 1, hopsFrom: ['10.9.0.7'] },
      ],
      /"lb" trusts 10.9.0.0\/16 \/ 10.9.0.7 in "from", which "behind-lb" lists in "hopsFrom"/,
    ],
    [
      'a profile whose own hops overlap its proxies',
      [{ name: 'x', from: ['10.0.0.0/8'], format: 'pem', trustedHops: 2, hopsFrom: ['10.9.0.0/24'] }],
      /"x" trusts 10.0.0.0\/8 \/ 10.9.0.0\/24 in "from", which "x" lists in "hopsFrom"/,
    ],
  ])('bootstrap error: %s', (_n, options, message) => {
    expect(() => new TrustedProxies(options as ProxyProfileOptions[])).toThrow(message);
  });
});
