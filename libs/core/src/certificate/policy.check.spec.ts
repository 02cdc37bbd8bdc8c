import type { IssuedCertificate } from '@client-cert-auth/dev-pki';
import { openssl, tempFiles } from '../../../dev-pki/src/openssl.spec-helper';
import { CertificatePathValidator, type CertificatePathValidatorOptions } from './path.validator';
import { type PolicySpec, intermediate, leaf, parse, policyExtensions, root } from './validation.spec-helper';

/**
 * RFC 5280 §6.1 certificate policy processing (issue 13, finding 8), each case checked against
 * the real `openssl verify -policy_check` too: the two must agree.
 */
const ANY = '2.5.29.32.0';
const P1 = '1.3.6.1.4.1.55738.7.1';
const P2 = '1.3.6.1.4.1.55738.7.2';
const P3 = '1.3.6.1.4.1.55738.7.3';

type PolicyOptions = NonNullable<CertificatePathValidatorOptions['certificatePolicies']>;
interface Case {
  /** Intermediates from the one under the root down to the leaf's issuer. */
  readonly cas: PolicySpec[];
  readonly leaf: PolicySpec;
  readonly options?: PolicyOptions;
}

const anchor = root('Policy Root');

function build(c: Case): { chain: IssuedCertificate[]; end: IssuedCertificate } {
  let issuer = anchor;
  const chain: IssuedCertificate[] = [];
  c.cas.forEach((spec, n) => chain.push((issuer = intermediate(issuer, `Policy CA ${n}`, 'p-256', { extraExtensions: policyExtensions(spec) }))));
  return { chain, end: leaf(issuer, { extraExtensions: policyExtensions(c.leaf) }) };
}

function opensslFlags(options: PolicyOptions = {}): string[] {
  const flags = ['-policy_check'];
  // OpenSSL's user-initial-policy-set is empty unless given: anyPolicy is RFC 5280's default.
  for (const oid of options.acceptable ?? [ANY]) flags.push('-policy', oid);
  if (options.acceptable || options.requireExplicitPolicy) flags.push('-explicit_policy');
  if (options.inhibitPolicyMapping) flags.push('-inhibit_map');
  if (options.inhibitAnyPolicy) flags.push('-inhibit_any');
  return flags;
}

const cases: Array<[name: string, c: Case, expected: 'ok' | 'CERT_POLICY']> = [
  ['no policy extensions at all', { cas: [{}], leaf: {} }, 'ok'],
  ['requireExplicitPolicy=0 and no policies anywhere', { cas: [{ requireExplicitPolicy: 0 }], leaf: {} }, 'CERT_POLICY'],
  [
    'requireExplicitPolicy=0, the CA and the leaf assert the same policy',
    { cas: [{ requireExplicitPolicy: 0, policies: [P1] }], leaf: { policies: [P1] } },
    'ok',
  ],
  [
    'requireExplicitPolicy=0, the leaf asserts a policy its CA does not',
    { cas: [{ requireExplicitPolicy: 0, policies: [P1] }], leaf: { policies: [P2] } },
    'CERT_POLICY',
  ],
  ['requireExplicitPolicy=0, the CA asserts anyPolicy', { cas: [{ requireExplicitPolicy: 0, policies: [ANY] }], leaf: { policies: [P2] } }, 'ok'],
  ['requireExplicitPolicy=0, CA and leaf assert anyPolicy', { cas: [{ requireExplicitPolicy: 0, policies: [ANY] }], leaf: { policies: [ANY] } }, 'ok'],
  [
    "inhibitAnyPolicy=0 makes the leaf's anyPolicy count for nothing",
    { cas: [{ requireExplicitPolicy: 0, inhibitAnyPolicy: 0, policies: [ANY] }], leaf: { policies: [ANY] } },
    'CERT_POLICY',
  ],
  [
    "inhibitAnyPolicy=0 does not stop a specific policy under the CA's anyPolicy",
    { cas: [{ requireExplicitPolicy: 0, inhibitAnyPolicy: 0, policies: [ANY] }], leaf: { policies: [P1] } },
    'ok',
  ],
  [
    "inhibitAnyPolicy=1 still lets the next CA's anyPolicy count, not the leaf's",
    { cas: [{ requireExplicitPolicy: 0, inhibitAnyPolicy: 1, policies: [ANY] }, { policies: [ANY] }], leaf: { policies: [ANY] } },
    'CERT_POLICY',
  ],
  [
    'a policy mapping P1 -> P2',
    {
      cas: [
        { requireExplicitPolicy: 0, policies: [P1] },
        { policies: [P1], mappings: [[P1, P2]] },
      ],
      leaf: { policies: [P2] },
    },
    'ok',
  ],
  [
    'a policy mapping P1 -> P2, P3 (leaf asserts P3)',
    {
      cas: [
        { requireExplicitPolicy: 0, policies: [P1] },
        {
          policies: [P1],
          mappings: [
            [P1, P2],
            [P1, P3],
          ],
        },
      ],
      leaf: { policies: [P3] },
    },
    'ok',
  ],
  [
    'a mapped policy is no longer valid under its own name',
    {
      cas: [
        { requireExplicitPolicy: 0, policies: [P1] },
        { policies: [P1], mappings: [[P1, P2]] },
      ],
      leaf: { policies: [P1] },
    },
    'CERT_POLICY',
  ],
  [
    'inhibitPolicyMapping=0 above a mapping',
    {
      cas: [
        { requireExplicitPolicy: 0, inhibitPolicyMapping: 0, policies: [P1] },
        { policies: [P1], mappings: [[P1, P2]] },
      ],
      leaf: { policies: [P2] },
    },
    'CERT_POLICY',
  ],
  [
    'a mapping under anyPolicy',
    {
      cas: [
        { requireExplicitPolicy: 0, policies: [ANY] },
        { policies: [ANY], mappings: [[P1, P2]] },
      ],
      leaf: { policies: [P2] },
    },
    'ok',
  ],
  ['a CA that maps anyPolicy', { cas: [{ policies: [P1] }, { policies: [ANY], mappings: [[ANY, P2]] }], leaf: { policies: [P2] } }, 'CERT_POLICY'],
  ['the leaf itself requires an explicit policy and has none', { cas: [{}], leaf: { requireExplicitPolicy: 0 } }, 'CERT_POLICY'],
  ['requireExplicitPolicy=1 two certificates above a path without policies', { cas: [{ requireExplicitPolicy: 1 }, {}], leaf: {} }, 'CERT_POLICY'],
  ['requireExplicitPolicy=3 above a path of two more certificates', { cas: [{ requireExplicitPolicy: 3 }, {}], leaf: {} }, 'ok'],
  ['a required policy the path asserts', { cas: [{ policies: [P1] }], leaf: { policies: [P1] }, options: { acceptable: [P1] } }, 'ok'],
  ['a required policy the path does not assert', { cas: [{ policies: [P1] }], leaf: { policies: [P1] }, options: { acceptable: [P2] } }, 'CERT_POLICY'],
  ['a required policy reached through anyPolicy', { cas: [{ policies: [ANY] }], leaf: { policies: [ANY] }, options: { acceptable: [P2] } }, 'ok'],
  [
    'a required policy that is the source of a mapping',
    { cas: [{ policies: [P1] }, { policies: [P1], mappings: [[P1, P2]] }], leaf: { policies: [P2] }, options: { acceptable: [P1] } },
    'ok',
  ],
  ['an explicit policy required by the options, none in the path', { cas: [{}], leaf: {}, options: { requireExplicitPolicy: true } }, 'CERT_POLICY'],
  [
    'mapping inhibited by the options',
    {
      cas: [{ policies: [P1] }, { policies: [P1], mappings: [[P1, P2]] }],
      leaf: { policies: [P2] },
      options: { requireExplicitPolicy: true, inhibitPolicyMapping: true },
    },
    'CERT_POLICY',
  ],
  [
    'anyPolicy inhibited by the options',
    { cas: [{ policies: [ANY] }], leaf: { policies: [ANY] }, options: { requireExplicitPolicy: true, inhibitAnyPolicy: true } },
    'CERT_POLICY',
  ],
];

describe('certificate policy processing (RFC 5280 §6.1)', () => {
  const files = tempFiles({ 'root.pem': anchor.pem });
  afterAll(() => files.cleanup());

  it.each(cases)('%s', (_name, c, expected) => {
    const { chain, end } = build(c);
    const validator = new CertificatePathValidator({ anchors: [parse(anchor)], certificatePolicies: c.options });
    const result = validator.validate(parse(end), chain.map(parse));
    expect(result.ok ? 'ok' : `${result.code}: ${result.reason}`).toMatch(new RegExp(`^${expected}`));

    const untrusted = files.write('chain.pem', chain.map((x) => x.pem).join(''));
    const verdict = openssl([
      'verify',
      '-CAfile',
      files.path('root.pem'),
      '-untrusted',
      untrusted,
      ...opensslFlags(c.options),
      files.write('leaf.pem', end.pem),
    ]);
    expect({ openssl: verdict.ok ? 'ok' : verdict.out.trim().replace(/\s*\n\s*/g, ' | ') }).toEqual({
      openssl: expected === 'ok' ? 'ok' : expect.stringMatching(/error 4[23]/),
    });
  });

  it('keeps a policy-mapping explosion (CVE-2023-0464) to milliseconds', () => {
    // Four CAs that each assert 30 policies and map every one to every other: the RFC tree
    // would hold 30^4 nodes at the leaf's depth; the graph holds 30 per depth.
    const policies = Array.from({ length: 30 }, (_, n) => `1.3.6.1.4.1.55738.8.${n}`);
    const mappings = policies.flatMap((a) => policies.map((b): [string, string] => [a, b]));
    const { chain, end } = build({ cas: [0, 1, 2, 3].map(() => ({ requireExplicitPolicy: 0, policies, mappings })), leaf: { policies: [policies[7]] } });
    const validator = new CertificatePathValidator({ anchors: [parse(anchor)] });
    const parsed = chain.map(parse);
    // CPU time, not wall time: a loaded CI host stretches the clock, not the work. The tree this
    // guards against takes seconds; the graph takes a few milliseconds, so 200 ms has room.
    const started = process.cpuUsage();
    const result = validator.validate(parse(end), parsed);
    const { user, system } = process.cpuUsage(started);
    expect((user + system) / 1000).toBeLessThan(200);
    expect(result.ok ? 'ok' : `${result.code}: ${result.reason}`).toMatch(/^(ok|CERT_POLICY: .*budget)/);
  });
});
