import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { TrustedProxies } from '../source/trusted-proxies';
import type { ClientCertAuthOptions } from './client-cert-auth.options';
import { ClientCertOptionsError } from './options.error';
import { resolveOptions } from './options.resolver';
import { enforceRegistryChecks, enforceSetupChecks, lintSetup } from './setup.linter';

const root = issueCertificate({ subject: 'CN=Lint Root,O=Test', ca: true });
const publishingRoot = issueCertificate({ subject: 'CN=Publishing Root,O=Test', ca: true, crlDistributionPoints: ['http://crl.test/root.crl'] });

function options(overrides: Partial<ClientCertAuthOptions> = {}): ClientCertAuthOptions {
  return { proxies: [{ name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' }], trustAnchors: { pem: [root.pem] }, ...overrides };
}

/** Runs the checks like the module does; returns the warnings or throws the refusal. */
function run(input: ClientCertAuthOptions) {
  const logged: Array<{ level: string; rule: string; acknowledged: boolean }> = [];
  const push = (level: string) => (entry: { rule: string; acknowledged: boolean }) =>
    logged.push({ level, rule: entry.rule, acknowledged: entry.acknowledged });
  enforceSetupChecks(resolveOptions(input), { warn: push('warn'), debug: push('debug') } as never);
  return logged;
}

const waf = (from: string[], name = 'waf') => ({ name, from, format: 'rfc9440' as const });

describe('start-up checks', () => {
  it('passes the secure defaults without a finding', () => {
    expect(lintSetup(resolveOptions(options()))).toEqual([]);
  });

  describe('a profile trusting every address', () => {
    it.each([['0.0.0.0/0'], ['::/0'], ['::ffff:0.0.0.0/96']])('refuses %s', (range) => {
      expect(() => run(options({ proxies: [waf(['10.0.0.0/8', range])] }))).toThrow(/proxy-trusts-everyone/);
      expect(() => run(options({ proxies: [waf(['10.0.0.0/8', range])], setupChecks: { acknowledge: ['proxy-trusts-everyone'] } }))).toThrow(
        ClientCertOptionsError,
      );
    });
    it('is also refused by the proxy compiler itself (defence in depth)', () => {
      expect(() => new TrustedProxies([waf(['0.0.0.0/0'])])).toThrow(/trusts every address/);
      expect(() => new TrustedProxies([waf(['::/0'])])).toThrow(/trusts every address/);
    });
    it('accepts the proxy subnet', () => {
      expect(run(options({ proxies: [waf(['10.0.0.0/8', 'fd00::/8'])] }))).toEqual([]);
    });
  });

  it.each([
    [['10.0.0.0/7'], 1],
    [['2000::/3'], 1],
    [['10.0.0.0/8', '2001:db8::/32'], 0],
  ])('warns about very wide ranges: %j gives %i warning(s)', (from, count) => {
    expect(run(options({ proxies: [waf(from)] })).filter((w) => w.rule === 'proxy-range-very-wide')).toHaveLength(count);
  });

  it('refuses duplicate profile names, accepts unique ones', () => {
    expect(() => run(options({ proxies: [waf(['10.1.0.0/16']), waf(['10.2.0.0/16'])] }))).toThrow(/duplicate-profile-name/);
    expect(run(options({ proxies: [waf(['10.1.0.0/16']), waf(['10.2.0.0/16'], 'edge')] }))).toEqual([]);
  });

  it.each([
    ['nested IPv4', ['10.0.0.0/8'], ['10.1.0.0/16'], 1],
    ['IPv4-mapped vs IPv4', ['::ffff:10.1.0.0/112'], ['10.1.2.3'], 1],
    ['disjoint', ['10.1.0.0/16'], ['10.2.0.0/16'], 0],
    ['different families', ['10.0.0.0/8'], ['fd00::/8'], 0],
  ])('warns about overlapping profiles (%s)', (_label, a, b, count) => {
    const warnings = run(options({ proxies: [waf(a), waf(b, 'edge')] }));
    expect(warnings.filter((w) => w.rule === 'overlapping-profiles')).toHaveLength(count);
  });

  describe('a preset that forwards unvalidated certificates', () => {
    const alb = { name: 'alb', from: ['10.0.0.0/8'], preset: 'aws-alb-passthrough' as const };
    it.each([
      ['requiredEku emptied', { requiredEku: [] }],
      ['minRsaBits 1024', { minRsaBits: 1024 }],
      ['clockSkewSeconds 600', { clockSkewSeconds: 600 }],
    ])('refuses weakened validation: %s', (_label, validation) => {
      expect(() => run(options({ proxies: [alb], validation }))).toThrow(/unvalidated-proxy-weak-validation/);
    });
    it('accepts it with the default validation', () => {
      expect(run(options({ proxies: [alb] }))).toEqual([]);
    });
    it('starts with a warning when the rule is acknowledged', () => {
      const warnings = run(options({ proxies: [alb], validation: { requiredEku: [] }, setupChecks: { acknowledge: ['unvalidated-proxy-weak-validation'] } }));
      expect(warnings).toEqual([{ level: 'warn', rule: 'unvalidated-proxy-weak-validation', acknowledged: true }]);
    });
    it('only warns when the proxy validates itself (nginx)', () => {
      const warnings = run(options({ proxies: [{ name: 'edge', from: ['10.0.0.0/8'], preset: 'nginx' }], validation: { requiredEku: [] } }));
      expect(warnings).toEqual([{ level: 'warn', rule: 'weakened-validation', acknowledged: false }]);
    });
    it('logs an acknowledged warning at debug level', () => {
      const warnings = run(options({ validation: { minRsaBits: 1024 }, setupChecks: { acknowledge: ['weakened-validation'] } }));
      expect(warnings).toEqual([{ level: 'debug', rule: 'weakened-validation', acknowledged: true }]);
    });
  });

  describe('revocation off while the CA publishes revocation data', () => {
    it('warns when an anchor publishes a CRL distribution point', () => {
      const warnings = run(options({ trustAnchors: { pem: [publishingRoot.pem] }, revocation: { mode: 'off' } }));
      expect(warnings).toEqual([{ level: 'warn', rule: 'revocation-off-with-published-status', acknowledged: false }]);
    });
    it('warns when a configured intermediate publishes OCSP', () => {
      const dir = mkdtempSync(join(tmpdir(), 'lint-'));
      try {
        const intermediate = issueCertificate({ subject: 'CN=Lint Issuing CA', issuer: root, ca: true, ocspUrls: ['http://ocsp.test/'] });
        writeFileSync(join(dir, 'intermediate.pem'), intermediate.pem);
        const warnings = run(options({ trustAnchors: { pem: [root.pem], intermediateFiles: [join(dir, 'intermediate.pem')] }, revocation: { mode: 'off' } }));
        expect(warnings.map((w) => w.rule)).toEqual(['revocation-off-with-published-status']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    it.each([
      ['soft-fail', { mode: 'soft-fail' as const }, publishingRoot],
      [
        'an override for that anchor',
        { mode: 'off' as const, anchors: [{ subject: 'CN=Publishing Root,O=Test', mode: 'hard-fail' as const }] },
        publishingRoot,
      ],
      ['a CA that publishes nothing', { mode: 'off' as const }, root],
    ])('stays quiet with %s', (_label, revocation, anchor) => {
      expect(run(options({ trustAnchors: { pem: [anchor.pem] }, revocation }))).toEqual([]);
    });
  });

  describe('SPIFFE trust domains and several anchors', () => {
    const partner = issueCertificate({ subject: 'CN=Partner Root', ca: true });
    it('warns when two anchors have no trust-domain map', () => {
      expect(run(options({ trustAnchors: { pem: [root.pem, partner.pem] } }))).toEqual([
        { level: 'warn', rule: 'spiffe-trust-domains-unmapped', acknowledged: false },
      ]);
    });
    it('stays quiet with one anchor, or with the map', () => {
      expect(run(options())).toEqual([]);
      const trustDomains = { 'company.example': { anchors: [`sha256:${'0'.repeat(64)}`] } };
      expect(() => run(options({ trustAnchors: { pem: [root.pem, partner.pem] }, spiffe: { trustDomains } }))).toThrow(/not one of trustAnchors/);
    });
  });

  describe('registry bindings not tied to a CA key', () => {
    function registryRun(summary: { unscoped: number; scopedByName: number }, acknowledge: string[] = []) {
      const logged: Array<{ level: string; rule: string; message: string }> = [];
      const push = (level: string) => (entry: { rule: string; message: string }) => logged.push({ level, rule: entry.rule, message: entry.message });
      enforceRegistryChecks(resolveOptions(options({ setupChecks: { acknowledge: acknowledge as never } })), summary, {
        warn: push('warn'),
        debug: push('debug'),
      } as never);
      return logged;
    }
    it('warns about unscoped and name-scoped bindings, naming the fix', () => {
      const [warning, ...rest] = registryRun({ unscoped: 2, scopedByName: 1 });
      expect(rest).toEqual([]);
      expect(warning).toMatchObject({ level: 'warn', rule: 'binding-scoped-by-name' });
      expect(warning.message).toMatch(/2 name-based binding\(s\) without an issuer scope and 1 scoped by issuer DN only.*--issuer-spki/);
    });
    it('stays quiet when every name-based binding is scoped to a CA key; debug when acknowledged', () => {
      expect(registryRun({ unscoped: 0, scopedByName: 0 })).toEqual([]);
      expect(registryRun({ unscoped: 1, scopedByName: 0 }, ['binding-scoped-by-name'])).toEqual([expect.objectContaining({ level: 'debug' })]);
    });
  });

  it('refuses an unknown rule id in setupChecks.acknowledge, naming the valid ones', () => {
    expect(() => resolveOptions(options({ setupChecks: { acknowledge: ['no-such-rule' as never] } }))).toThrow(/overlapping-profiles/);
  });
});
