import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevPki } from '@client-cert-auth/dev-pki';
import type { ClientCertAuthOptions } from './client-cert-auth.options';
import { clientCertOptionsFromSettings, type SettingsReader } from './env.options';
import { ClientCertOptionsError } from './options.error';
import { resolveOptions } from './options.resolver';

describe('resolveOptions', () => {
  const pki = createDevPki();
  const dir = mkdtempSync(join(tmpdir(), 'cca-options-'));
  const rootFile = join(dir, 'root.pem');
  writeFileSync(rootFile, pki.root.pem);
  const valid: ClientCertAuthOptions = {
    proxies: [{ name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' }],
    trustAnchors: { files: [rootFile] },
  };

  it('fills secure defaults and freezes the result', () => {
    const resolved = resolveOptions(valid);
    expect(resolved.revocation.mode).toBe('soft-fail');
    expect(resolved.validation).toEqual({
      clockSkewSeconds: 60,
      requiredEku: ['clientAuth'],
      maxPathLength: 8,
      minRsaBits: 2048,
      maxRsaBits: 8192,
      signatureThreadPool: true,
    });
    expect(resolved.limits).toEqual({ maxHeaderBytes: 65536, maxCertificates: 10 });
    expect(resolved.cache).toEqual({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, ttlSeconds: 300, failureTtlSeconds: 5 });
    expect(resolved.trustStore.anchors).toHaveLength(1);
    expect(resolved.trustStore.anchors[0].subject.rfc4514).toBe('CN=Dev Root CA,O=Dev PKI');
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('takes a cache byte bound, 0 included (no caches)', () => {
    expect(resolveOptions({ ...valid, cache: { maxBytes: 8 * 1024 * 1024 } }).cache.maxBytes).toBe(8 * 1024 * 1024);
    expect(resolveOptions({ ...valid, cache: { maxBytes: 0 } }).cache.maxBytes).toBe(0);
  });

  it('takes signatureThreadPool: false (every signature verified on the main thread)', () => {
    expect(resolveOptions({ ...valid, validation: { signatureThreadPool: false } }).validation.signatureThreadPool).toBe(false);
  });

  it('gives a different trust-store version for a different anchor set', () => {
    const other = resolveOptions({ ...valid, trustAnchors: { pem: [createDevPki().root.pem] } });
    expect(other.trustStore.version).not.toBe(resolveOptions(valid).trustStore.version);
  });

  it.each<[string, Partial<ClientCertAuthOptions>, RegExp]>([
    ['no proxies', { proxies: [] }, /proxies must list at least one trusted proxy/],
    ['no trust anchors', { trustAnchors: undefined as never }, /trustAnchors is missing/],
    ['an unreadable CA file', { trustAnchors: { files: [join(dir, 'absent.pem')] } }, /cannot read .*absent\.pem/],
    ['a CA file without certificates', { trustAnchors: { pem: ['hello'] } }, /is not a PEM certificate|yields no certificate/],
    ['a leaf as trust anchor', { trustAnchors: { pem: [pki.clients.client.pem] } }, /not a CA/],
    ['an unknown revocation mode', { revocation: { mode: 'sometimes' as never } }, /revocation.mode is 'sometimes'.*off, soft-fail, hard-fail/],
    ['a negative clock skew', { validation: { clockSkewSeconds: -1 } }, /clockSkewSeconds is -1. Use a whole number from 0 to 3600/],
    ['an RSA floor below 1024', { validation: { minRsaBits: 512 } }, /minRsaBits is 512/],
    ['a fractional cache byte bound', { cache: { maxBytes: 1.5 } }, /cache.maxBytes is 1.5. Use a whole number from 0 to/],
    ['a negative cache byte bound', { cache: { maxBytes: -1 } }, /cache.maxBytes is -1/],
    ['a signatureThreadPool that is not a boolean', { validation: { signatureThreadPool: 'no' as never } }, /signatureThreadPool is no. Use true or false/],
    ['an RSA ceiling below the floor', { validation: { minRsaBits: 4096, maxRsaBits: 3072 } }, /maxRsaBits is 3072/],
  ])('stops start-up on %s, saying how to fix it', (_label, patch, message) => {
    expect(() => resolveOptions({ ...valid, ...patch })).toThrow(ClientCertOptionsError);
    expect(() => resolveOptions({ ...valid, ...patch })).toThrow(message);
  });
});

describe('clientCertOptionsFromSettings', () => {
  const reader = (values: Record<string, string>): SettingsReader => ({ get: <T>(key: string) => values[key] as T | undefined });

  it('builds one profile from CLIENT_CERT_* settings', () => {
    const options = clientCertOptionsFromSettings(
      reader({
        CLIENT_CERT_CA_FILES: '/ca/root.pem, /ca/other.pem',
        CLIENT_CERT_PROXY_FROM: '10.0.0.0/8,fd00::/8',
        CLIENT_CERT_PROXY_FORMAT: 'url-pem',
        CLIENT_CERT_HEADER: 'X-Client-Cert',
        CLIENT_CERT_REVOCATION_MODE: 'hard-fail',
      }),
    );
    expect(options).toEqual({
      proxies: [{ name: 'waf', from: ['10.0.0.0/8', 'fd00::/8'], format: 'url-pem', headers: { cert: 'X-Client-Cert' } }],
      trustAnchors: { files: ['/ca/root.pem', '/ca/other.pem'], intermediateFiles: undefined },
      revocation: { mode: 'hard-fail' },
    });
  });

  it('takes several profiles as JSON', () => {
    const proxies = [{ name: 'edge', from: ['10.1.0.0/16'], preset: 'nginx' }];
    const options = clientCertOptionsFromSettings(reader({ CLIENT_CERT_CA_FILES: '/ca.pem', CLIENT_CERT_PROXIES: JSON.stringify(proxies) }));
    expect(options.proxies).toEqual(proxies);
  });

  it('adds a source: tls profile for CLIENT_CERT_TLS_PORTS, next to the header profile or alone', () => {
    const both = clientCertOptionsFromSettings(
      reader({
        CLIENT_CERT_CA_FILES: '/ca.pem',
        CLIENT_CERT_PROXY_FROM: '10.0.0.0/8',
        CLIENT_CERT_TLS_PORTS: '8443, 9443',
        CLIENT_CERT_TLS_PROFILE_NAME: 'direct',
      }),
    );
    expect(both.proxies).toEqual([
      { name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' },
      { name: 'direct', source: 'tls', ports: [8443, 9443] },
    ]);
    const alone = clientCertOptionsFromSettings(reader({ CLIENT_CERT_CA_FILES: '/ca.pem', CLIENT_CERT_TLS_PORTS: '8443' }));
    expect(alone.proxies).toEqual([{ name: 'tls', source: 'tls', ports: [8443] }]);
  });

  it.each([
    ['a TLS port that is not a port', { CLIENT_CERT_CA_FILES: '/ca.pem', CLIENT_CERT_TLS_PORTS: '8443,https' }, /CLIENT_CERT_TLS_PORTS is '8443,https'/],
    ['no CA', { CLIENT_CERT_PROXY_FROM: '10.0.0.0/8' }, /CLIENT_CERT_CA_FILES is not set/],
    ['no proxy address', { CLIENT_CERT_CA_FILES: '/ca.pem' }, /CLIENT_CERT_PROXY_FROM is not set/],
    ['broken JSON', { CLIENT_CERT_CA_FILES: '/ca.pem', CLIENT_CERT_PROXIES: '[{' }, /CLIENT_CERT_PROXIES is not valid JSON/],
  ])('refuses %s with a message that says what to set', (_label, values, message) => {
    expect(() => clientCertOptionsFromSettings(reader(values))).toThrow(message);
  });
});
