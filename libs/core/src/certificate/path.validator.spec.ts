import { type CertificateSpec, type IssuedCertificate, issueCertificate } from '@client-cert-auth/dev-pki';
import type { ParsedCertificate } from './parsed-certificate';
import { CertificatePathValidator, type CertificatePathValidatorOptions } from './path.validator';
import type { PathValidationFailureCode, PathValidationResult } from './path-validation.types';
import { VALIDATION_MODES, chainOf, intermediate, leaf, parse, root, validateIn } from './validation.spec-helper';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

function expectFailure(result: PathValidationResult, code: PathValidationFailureCode, reason?: RegExp): void {
  expect(result.ok ? 'ok' : `${result.code}: ${result.reason}`).toMatch(new RegExp(`^${code}`));
  if (reason && !result.ok) expect(result.reason).toMatch(reason);
}

// Every case twice: the thread-pool pre-verification must never change a verdict.
describe.each(VALIDATION_MODES)('CertificatePathValidator (%s)', (mode) => {
  function validate(
    anchor: IssuedCertificate,
    chain: IssuedCertificate[],
    end: IssuedCertificate,
    options: Partial<CertificatePathValidatorOptions> = {},
    at?: Date,
  ): Promise<PathValidationResult> {
    const validator = new CertificatePathValidator({ anchors: [parse(anchor)], ...options });
    return validateIn(mode, validator, parse(end), chain.map(parse), { at });
  }

  describe.each(['rsa-2048', 'rsa-pss-2048', 'p-256', 'p-384', 'p-521', 'ed25519'] as const)('%s chain', (key) => {
    const pki = chainOf(key);

    it('accepts root -> intermediate -> leaf', async () => {
      const result = await validate(pki.root, [pki.intermediate], pki.leaf);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.path.map((c) => c.subject.rfc4514)).toEqual(['CN=client-1,O=Test', `CN=Issuing ${key},O=Test`, `CN=Root ${key},O=Test`]);
    });

    it('rejects a leaf signed by another key under the same issuer name', async () => {
      const impostor = intermediate(root('Rogue'), `Issuing ${key}`, key, { freshKey: true, subject: `CN=Issuing ${key},O=Test` });
      expectFailure(await validate(pki.root, [pki.intermediate], leaf(impostor, {}, key)), 'CERT_UNTRUSTED', /no issuer/);
      // Without an AKI to tell the two keys apart, the signature check is what refuses it.
      const forged = leaf(impostor, { omitExtensions: ['authorityKeyIdentifier'] }, key);
      expectFailure(await validate(pki.root, [pki.intermediate], forged), 'CERT_UNTRUSTED', /does not verify/);
    });
  });

  type Case = [
    name: string,
    build: () => {
      anchor: IssuedCertificate;
      chain: IssuedCertificate[];
      leaf: IssuedCertificate;
      options?: Partial<CertificatePathValidatorOptions>;
      at?: Date;
    },
    expected: 'ok' | PathValidationFailureCode,
  ];
  const r = root();
  const i = intermediate(r);
  const now = Date.now();
  const cases: Case[] = [
    ['expired leaf', () => ({ anchor: r, chain: [i], leaf: leaf(i, { notBefore: new Date(now - 10 * DAY), notAfter: new Date(now - DAY) }) }), 'CERT_EXPIRED'],
    [
      'expired leaf, validated at a time it was valid',
      () => {
        const oldRoot = root('Old Root', 'p-256', { notBefore: new Date(now - 30 * DAY) });
        const oldCa = intermediate(oldRoot, 'Old CA', 'p-256', { notBefore: new Date(now - 30 * DAY) });
        return {
          anchor: oldRoot,
          chain: [oldCa],
          leaf: leaf(oldCa, { notBefore: new Date(now - 10 * DAY), notAfter: new Date(now - DAY) }),
          at: new Date(now - 2 * DAY),
        };
      },
      'ok',
    ],
    [
      'expired intermediate',
      () => {
        const old = intermediate(r, 'Old CA', 'p-256', { notBefore: new Date(now - DAY), notAfter: new Date(now - HOUR) });
        return { anchor: r, chain: [old], leaf: leaf(old) };
      },
      'CERT_EXPIRED',
    ],
    [
      'leaf under an intermediate that is not in the chain',
      () => ({ anchor: r, chain: [intermediate(r, 'Old CA')], leaf: leaf(intermediate(r, 'Old CA')) }),
      'CERT_UNTRUSTED',
    ],
    ['leaf not yet valid', () => ({ anchor: r, chain: [i], leaf: leaf(i, { notBefore: new Date(now + HOUR) }) }), 'CERT_NOT_YET_VALID'],
    ['leaf valid 30 s from now, inside the 60 s skew', () => ({ anchor: r, chain: [i], leaf: leaf(i, { notBefore: new Date(now + 30_000) }) }), 'ok'],
    [
      'leaf valid 30 s from now with no skew',
      () => ({ anchor: r, chain: [i], leaf: leaf(i, { notBefore: new Date(now + 30_000) }), options: { clockSkewSeconds: 0 } }),
      'CERT_NOT_YET_VALID',
    ],
    ['wrong EKU (serverAuth only)', () => ({ anchor: r, chain: [i], leaf: leaf(i, { extendedKeyUsage: ['serverAuth'] }) }), 'CERT_WRONG_USAGE'],
    [
      'serverAuth leaf when serverAuth is required',
      () => ({ anchor: r, chain: [i], leaf: leaf(i, { extendedKeyUsage: ['serverAuth'] }), options: { requiredEku: ['serverAuth'] } }),
      'ok',
    ],
    ['leaf without EKU (any purpose, RFC 5280)', () => ({ anchor: r, chain: [i], leaf: leaf(i, { omitExtensions: ['extendedKeyUsage'] }) }), 'ok'],
    ['leaf with only anyExtendedKeyUsage', () => ({ anchor: r, chain: [i], leaf: leaf(i, { extendedKeyUsage: ['any'] }) }), 'CERT_WRONG_USAGE'],
    [
      'leaf with only anyExtendedKeyUsage when allowAnyEkuInLeaf',
      () => ({ anchor: r, chain: [i], leaf: leaf(i, { extendedKeyUsage: ['any'] }), options: { allowAnyEkuInLeaf: true } }),
      'ok',
    ],
    ['leaf keyUsage without digitalSignature', () => ({ anchor: r, chain: [i], leaf: leaf(i, { keyUsage: ['keyEncipherment'] }) }), 'CERT_WRONG_USAGE'],
    ['leaf keyUsage with digitalSignature', () => ({ anchor: r, chain: [i], leaf: leaf(i, { keyUsage: ['digitalSignature', 'keyEncipherment'] }) }), 'ok'],
    [
      'intermediate EKU serverAuth constrains a clientAuth leaf',
      () => {
        const ica = intermediate(r, 'Server CA', 'p-256', { extendedKeyUsage: ['serverAuth'] });
        return { anchor: r, chain: [ica], leaf: leaf(ica) };
      },
      'CERT_WRONG_USAGE',
    ],
    [
      'intermediate EKU clientAuth allows a clientAuth leaf',
      () => {
        const ica = intermediate(r, 'Client CA', 'p-256', { extendedKeyUsage: ['clientAuth'] });
        return { anchor: r, chain: [ica], leaf: leaf(ica) };
      },
      'ok',
    ],
    [
      'intermediate without the CA flag',
      () => {
        const notCa = issueCertificate({ subject: 'CN=Not a CA', issuer: r, ca: false, keyUsage: ['keyCertSign', 'digitalSignature'] });
        return { anchor: r, chain: [notCa], leaf: leaf(notCa) };
      },
      'CERT_UNTRUSTED',
    ],
    [
      'intermediate keyUsage without keyCertSign',
      () => {
        const ica = intermediate(r, 'CRL-only CA', 'p-256', { keyUsage: ['cRLSign'] });
        return { anchor: r, chain: [ica], leaf: leaf(ica) };
      },
      'CERT_WRONG_USAGE',
    ],
    [
      'pathLen 0 with an intermediate below',
      () => {
        const top = intermediate(r, 'Policy CA', 'p-256', { ca: { pathLen: 0 } });
        const low = intermediate(top, 'Low CA');
        return { anchor: r, chain: [top, low], leaf: leaf(low) };
      },
      'CERT_POLICY',
    ],
    [
      'pathLen 1 with an intermediate below',
      () => {
        const top = intermediate(r, 'Policy CA', 'p-256', { ca: { pathLen: 1 } });
        const low = intermediate(top, 'Low CA');
        return { anchor: r, chain: [top, low], leaf: leaf(low) };
      },
      'ok',
    ],
    [
      'two intermediates with maxPathLength 1',
      () => {
        const top = intermediate(r, 'Policy CA');
        const low = intermediate(top, 'Low CA');
        return { anchor: r, chain: [low, top], leaf: leaf(low), options: { maxPathLength: 1 } };
      },
      'CERT_UNTRUSTED',
    ],
    [
      'unknown critical extension on the leaf',
      () => ({ anchor: r, chain: [i], leaf: leaf(i, { extraExtensions: [{ oid: '1.3.6.1.4.1.55738.666.1', critical: true, value: Buffer.from([5, 0]) }] }) }),
      'CERT_POLICY',
    ],
    [
      'the same extension, not critical',
      () => ({ anchor: r, chain: [i], leaf: leaf(i, { extraExtensions: [{ oid: '1.3.6.1.4.1.55738.666.1', critical: false, value: Buffer.from([5, 0]) }] }) }),
      'ok',
    ],
    ['SHA-1 signed leaf', () => ({ anchor: r, chain: [i], leaf: leaf(i, { signatureHash: 'sha1' }) }), 'CERT_POLICY'],
    ['SHA-1 signed leaf with allowSha1', () => ({ anchor: r, chain: [i], leaf: leaf(i, { signatureHash: 'sha1' }), options: { allowSha1: true } }), 'ok'],
    [
      'MD5 signed leaf under an RSA CA, even with allowSha1',
      () => {
        const rsa = intermediate(r, 'RSA CA', 'rsa-2048');
        return { anchor: r, chain: [rsa], leaf: leaf(rsa, { signatureHash: 'md5' }), options: { allowSha1: true } };
      },
      'CERT_POLICY',
    ],
    ['RSA-1024 leaf', () => ({ anchor: r, chain: [i], leaf: leaf(i, {}, 'rsa-1024') }), 'CERT_POLICY'],
    ['RSA-1024 leaf with minRsaBits 1024', () => ({ anchor: r, chain: [i], leaf: leaf(i, {}, 'rsa-1024'), options: { minRsaBits: 1024 } }), 'ok'],
    ['no chain forwarded and no configured intermediate', () => ({ anchor: r, chain: [], leaf: leaf(i) }), 'CERT_UNTRUSTED'],
    ['intermediate configured instead of forwarded', () => ({ anchor: r, chain: [], leaf: leaf(i), options: { intermediates: [parse(i)] } }), 'ok'],
    [
      'unordered chain with duplicates and the leaf itself',
      () => {
        const l = leaf(i);
        return { anchor: r, chain: [l, i, r, i], leaf: l };
      },
      'ok',
    ],
    [
      'an expired leaf with no path reports CERT_UNTRUSTED',
      () => ({ anchor: root('Other Root'), chain: [i], leaf: leaf(i, { notAfter: new Date(now - DAY), notBefore: new Date(now - 2 * DAY) }) }),
      'CERT_UNTRUSTED',
    ],
  ];

  it.each(cases.map(([name, build, expected]) => [`${name} -> ${expected}`, build, expected] as const))('%s', async (_name, build, expected) => {
    const { anchor, chain, leaf: end, options, at } = build();
    const result = await validate(anchor, chain, end, options, at);
    if (expected === 'ok') expect(result.ok ? 'ok' : `${result.code}: ${result.reason}`).toBe('ok');
    else expectFailure(result, expected);
  });

  describe('name constraints', () => {
    const constrained = (nc: CertificateSpec['nameConstraints']) => intermediate(r, 'Constrained CA', 'p-256', { nameConstraints: nc });
    it.each<[string, CertificateSpec['nameConstraints'], CertificateSpec['san'], 'ok' | 'CERT_POLICY']>([
      ['permitted DNS, inside', { permitted: { dns: ['example.com'] } }, { dns: ['a.example.com'] }, 'ok'],
      ['permitted DNS, outside', { permitted: { dns: ['example.com'] } }, { dns: ['a.example.org'] }, 'CERT_POLICY'],
      ['excluded DNS, outside', { excluded: { dns: ['evil.example.com'] } }, { dns: ['good.example.com'] }, 'ok'],
      ['excluded DNS, inside', { excluded: { dns: ['evil.example.com'] } }, { dns: ['x.evil.example.com'] }, 'CERT_POLICY'],
      ['permitted email domain, inside', { permitted: { email: ['example.com'] } }, { email: ['alice@example.com'] }, 'ok'],
      ['permitted email domain, outside', { permitted: { email: ['example.com'] } }, { email: ['alice@example.org'] }, 'CERT_POLICY'],
      ['permitted URI host, inside', { permitted: { uri: ['.example.com'] } }, { uri: ['https://api.example.com/x'] }, 'ok'],
      ['permitted URI host, outside', { permitted: { uri: ['.example.com'] } }, { uri: ['https://api.example.org/x'] }, 'CERT_POLICY'],
      ['permitted IP range, inside', { permitted: { ip: ['10.0.0.0/8'] } }, { ip: ['10.1.2.3'] }, 'ok'],
      ['permitted IP range, outside', { permitted: { ip: ['10.0.0.0/8'] } }, { ip: ['192.168.1.1'] }, 'CERT_POLICY'],
      ['excluded IPv6 range, inside', { excluded: { ip: ['2001:db8::/32'] } }, { ip: ['2001:db8::1'] }, 'CERT_POLICY'],
      ['permitted directoryName, inside', { permitted: { directoryName: ['O=Test'] } }, undefined, 'ok'],
      ['permitted directoryName, outside', { permitted: { directoryName: ['O=Other'] } }, undefined, 'CERT_POLICY'],
    ])('%s -> %s', async (_name, nc, san, expected) => {
      const ca = constrained(nc);
      const result = await validate(r, [ca], leaf(ca, { san }));
      if (expected === 'ok') expect(result.ok ? 'ok' : `${result.code}: ${result.reason}`).toBe('ok');
      else expectFailure(result, expected);
    });
  });

  describe('path building', () => {
    it('follows a cross-signature to the configured anchor when the forwarded issuer chains elsewhere', async () => {
      const oldRoot = root('Old Root');
      const newRoot = root('New Root');
      const key = intermediate(oldRoot, 'Shared CA');
      const viaOld = issueCertificate({
        subject: 'CN=Shared CA,O=Test',
        issuer: oldRoot,
        key: { privateKey: key.privateKey, publicKey: key.publicKey },
        ca: true,
      });
      const viaNew = issueCertificate({
        subject: 'CN=Shared CA,O=Test',
        issuer: newRoot,
        key: { privateKey: key.privateKey, publicKey: key.publicKey },
        ca: true,
      });
      const end = leaf(viaOld);
      expect((await validate(newRoot, [viaOld], end)).ok).toBe(false);
      const result = await validate(newRoot, [viaOld, viaNew], end);
      expect(result.ok ? result.anchor.subject.rfc4514 : result.reason).toBe('CN=New Root,O=Test');
    });

    it('terminates on a cycle of CAs that cross-sign each other and reach no anchor', async () => {
      const a = root('Loop A');
      const b = intermediate(a, 'Loop B');
      const aByB = issueCertificate({ subject: 'CN=Loop A,O=Test', issuer: b, key: { privateKey: a.privateKey, publicKey: a.publicKey }, ca: true });
      const started = performance.now();
      expectFailure(await validate(root('Unrelated'), [b, aByB], leaf(b)), 'CERT_UNTRUSTED');
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('stays fast on 60 intermediates that share one subject', async () => {
      const top = intermediate(r, 'Same CA');
      const pool: IssuedCertificate[] = [top];
      for (let n = 0; n < 60; n++)
        pool.push(issueCertificate({ subject: 'CN=Same CA,O=Test', issuer: pool[pool.length - 1], ca: true, omitExtensions: ['authorityKeyIdentifier'] }));
      const started = performance.now();
      const result = await validate(root('Unrelated'), pool, leaf(pool[pool.length - 1]));
      expect(result.ok).toBe(false);
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('reports the failure of the most complete path (an expired leaf is CERT_EXPIRED, not CERT_UNTRUSTED)', async () => {
      const expired = leaf(i, { notBefore: new Date(now - 2 * DAY), notAfter: new Date(now - DAY) });
      expectFailure(await validate(r, [root('Noise'), i], expired), 'CERT_EXPIRED', /leaf "CN=client-1,O=Test" expired at/);
    });

    it('stops start-up on an unknown EKU name or a non-numeric limit, and accepts dotted OIDs', () => {
      expect(() => new CertificatePathValidator({ anchors: [], requiredEku: ['clientAuthh'] })).toThrow(/requiredEku/);
      expect(() => new CertificatePathValidator({ anchors: [], requiredEku: ['1.3.6.1.5.5.7.3.2'] })).not.toThrow();
      expect(() => new CertificatePathValidator({ anchors: [], clockSkewSeconds: Number.NaN })).toThrow(/clockSkewSeconds/);
      expect(() => new CertificatePathValidator({ anchors: [], maxPathLength: -1 })).toThrow(/maxPathLength/);
    });

    it.each<[string[], 'ok' | 'CERT_WRONG_USAGE']>([
      [['serverAuth'], 'CERT_WRONG_USAGE'],
      [['clientAuth'], 'ok'],
    ])('applies a per-call requiredEku %j -> %s', (requiredEku, expected) => {
      const validator = new CertificatePathValidator({ anchors: [parse(r)], intermediates: [parse(i)] });
      const result = validator.validate(parse(leaf(i)), [], { requiredEku });
      expect(result.ok ? 'ok' : result.code).toBe(expected);
    });

    it.each<[string, Date | undefined, boolean]>([
      ['no time (now)', undefined, true],
      ['an invalid Date', new Date('not a date'), false],
    ])('validates at %s -> ok: %s', (_name, at, ok) => {
      const validator = new CertificatePathValidator({ anchors: [parse(r)], intermediates: [parse(i)] });
      expect(validator.validate(parse(leaf(i)), [], { at }).ok).toBe(ok);
    });

    it('never throws, even for a result computed from hostile input', () => {
      const validator = new CertificatePathValidator({ anchors: [parse(r)] });
      const broken = { ...parse(leaf(i)), issuer: undefined } as unknown as ParsedCertificate;
      const result = validator.validate(broken, []);
      expect(result.ok).toBe(false);
    });
  });
});
