import { createHash } from 'node:crypto';
import { extractWithProfile } from '../extract-with-profile';
import { encode, expectOutcome, forwardedPki, sha256Hex, type Expected } from '../testing/forwarded-pki.spec-helper';
import { getProxyPreset, PROXY_PRESETS } from './preset.registry';
import { PROXY_PRESET_NAMES, type ProxyPresetName } from './proxy-preset';

const { leaf, intermediate, root } = forwardedPki();
type Pairs = Array<[string, string]>;
const b64sha = (der: Buffer) => createHash('sha256').update(der).digest('base64');

/** What each real proxy sends for a client with a certificate (and its chain where it forwards one). */
const SENDS: Record<ProxyPresetName, { full: Pairs; chain: Buffer[]; none: Pairs; verdictFails?: Pairs }> = {
  'aws-alb-passthrough': { full: [['X-Amzn-Mtls-Clientcert', encode.albPem(leaf.pem + intermediate.pem)]], chain: [intermediate.der], none: [] },
  'aws-alb-verify': {
    full: [
      ['X-Amzn-Mtls-Clientcert-Leaf', encode.albPem(leaf.pem)],
      ['X-Amzn-Mtls-Clientcert-Serial-Number', leaf.serialNumber.toUpperCase()],
      ['X-Amzn-Mtls-Clientcert-Subject', 'CN=alice,O=Example'],
    ],
    chain: [],
    none: [],
  },
  gcp: {
    full: [
      ['X-Client-Cert-Present', 'true'],
      ['X-Client-Cert-Chain-Verified', 'true'],
      ['X-Client-Cert-Error', ''],
      ['X-Client-Cert-Hash', b64sha(leaf.der)],
      ['X-Client-Cert-Leaf', encode.item(leaf.der)],
      ['X-Client-Cert-Chain', encode.list([intermediate.der])],
    ],
    chain: [intermediate.der],
    none: [
      ['X-Client-Cert-Present', 'false'],
      ['X-Client-Cert-Chain-Verified', 'false'],
      ['X-Client-Cert-Error', ''],
      ['X-Client-Cert-Leaf', ''],
    ],
    verdictFails: [
      ['X-Client-Cert-Present', 'true'],
      ['X-Client-Cert-Chain-Verified', 'false'],
      ['X-Client-Cert-Error', 'client_cert_chain_invalid_eku'],
      ['X-Client-Cert-Leaf', encode.item(leaf.der)],
    ],
  },
  cloudflare: {
    full: [
      ['Client-Cert', encode.item(leaf.der)],
      ['Client-Cert-Chain', encode.list([intermediate.der])],
      ['Cf-Client-Cert-Verified', 'true'],
      ['Cf-Client-Cert-Revoked', 'false'],
    ],
    chain: [intermediate.der],
    none: [
      ['Client-Cert', ''],
      ['Cf-Client-Cert-Verified', 'false'],
      ['Cf-Client-Cert-Revoked', 'false'],
    ],
    // verified is true for a revoked certificate
    verdictFails: [
      ['Client-Cert', encode.item(leaf.der)],
      ['Cf-Client-Cert-Verified', 'true'],
      ['Cf-Client-Cert-Revoked', 'true'],
    ],
  },
  'azure-app-service': { full: [['X-ARR-ClientCert', encode.base64(leaf.der)]], chain: [], none: [] },
  'azure-app-gateway': {
    full: [
      ['X-Client-Cert', encode.spacedPem(leaf.pem)],
      ['X-Client-Cert-Verification', 'SUCCESS'],
    ],
    chain: [],
    none: [
      ['X-Client-Cert', ''],
      ['X-Client-Cert-Verification', 'NONE'],
    ],
    verdictFails: [
      ['X-Client-Cert', encode.spacedPem(leaf.pem)],
      ['X-Client-Cert-Verification', 'FAILED:certificate has expired'],
    ],
  },
  envoy: {
    full: [
      [
        'x-forwarded-client-cert',
        encode.xfcc({
          By: 'spiffe://mesh/api',
          Hash: sha256Hex(leaf.der),
          Cert: encode.urlPem(leaf.pem),
          Chain: encode.urlPem(leaf.pem + intermediate.pem),
          Subject: 'CN=alice,O=Example',
          URI: '',
        }),
      ],
    ],
    chain: [intermediate.der],
    none: [],
  },
  istio: {
    full: [
      [
        'X-Forwarded-Client-Cert',
        encode.xfcc({
          By: 'spiffe://cluster.local/ns/app/sa/api',
          Hash: sha256Hex(leaf.der),
          Cert: encode.urlPem(leaf.pem),
          Subject: '',
          URI: 'spiffe://cluster.local/ns/c/sa/alice',
        }),
      ],
    ],
    chain: [],
    none: [],
  },
  nginx: {
    full: [
      ['X-SSL-Client-Cert', encode.urlPem(leaf.pem)],
      ['X-SSL-Client-Verify', 'SUCCESS'],
    ],
    chain: [],
    none: [
      ['X-SSL-Client-Cert', ''],
      ['X-SSL-Client-Verify', 'NONE'],
    ],
    verdictFails: [
      ['X-SSL-Client-Cert', encode.urlPem(leaf.pem)],
      ['X-SSL-Client-Verify', 'FAILED:certificate has expired'],
    ],
  },
  haproxy: {
    full: [
      ['X-SSL-Client-Cert', encode.base64(leaf.der)],
      ['X-SSL-Client-Chain', encode.base64(Buffer.concat([intermediate.der]))],
      ['X-SSL-Client-Verify', '0'],
    ],
    chain: [intermediate.der],
    none: [
      ['X-SSL-Client-Cert', ''],
      ['X-SSL-Client-Verify', '0'],
    ],
    verdictFails: [
      ['X-SSL-Client-Cert', encode.base64(leaf.der)],
      ['X-SSL-Client-Verify', '10'],
    ],
  },
  apache: {
    full: [
      ['X-SSL-Client-Cert', encode.spacedPem(leaf.pem)],
      ['X-SSL-Client-Cert-Chain-0', encode.spacedPem(intermediate.pem)],
      ['X-SSL-Client-Cert-Chain-1', '(null)'],
      ['X-SSL-Client-Verify', 'SUCCESS'],
    ],
    chain: [intermediate.der],
    none: [
      ['X-SSL-Client-Cert', '(null)'],
      ['X-SSL-Client-Verify', 'NONE'],
    ],
    verdictFails: [
      ['X-SSL-Client-Cert', encode.spacedPem(leaf.pem)],
      ['X-SSL-Client-Verify', 'GENEROUS'],
    ],
  },
  caddy: { full: [['X-Client-Cert', encode.base64(leaf.der)]], chain: [], none: [['X-Client-Cert', '{http.request.tls.client.certificate_der_base64}']] },
  traefik: {
    full: [['X-Forwarded-Tls-Client-Cert', [leaf.der, intermediate.der, root.der].map(encode.base64).join(',')]],
    chain: [intermediate.der, root.der],
    none: [],
  },
};

describe('proxy presets', () => {
  const rows = PROXY_PRESET_NAMES.map((name) => [name] as const);

  it.each(rows)('%s: reads what the proxy sends', (name) => {
    const { full, chain } = SENDS[name];
    expectOutcome(() => extractWithProfile({ preset: name }, full).certificate, { leaf: leaf.der, chain });
  });

  it.each(rows)('%s: no certificate -> CERT_MISSING', (name) => {
    expectOutcome(() => extractWithProfile({ preset: name }, SENDS[name].none).certificate, 'CERT_MISSING');
  });

  it.each(rows)('%s: the certificate header twice -> HEADER_MALFORMED', (name) => {
    const [certHeader] = SENDS[name].full.find(([header]) => header.toLowerCase() === PROXY_PRESETS[name].headers.cert.toLowerCase())!;
    const pairs: Pairs = [...SENDS[name].full, [certHeader, SENDS[name].full.find(([h]) => h === certHeader)![1]]];
    expectOutcome(() => extractWithProfile({ preset: name }, pairs).certificate, 'HEADER_MALFORMED');
  });

  const verdictRows = PROXY_PRESET_NAMES.filter((name) => SENDS[name].verdictFails).map((name) => [name] as const);
  it.each(verdictRows)('%s: a failed proxy verdict -> PROXY_VERDICT_FAILED', (name) => {
    expectOutcome(() => extractWithProfile({ preset: name }, SENDS[name].verdictFails!).certificate, 'PROXY_VERDICT_FAILED');
  });

  it.each(verdictRows)('%s: a missing verdict header -> PROXY_VERDICT_FAILED', (name) => {
    const verdictHeaders = new Set(PROXY_PRESETS[name].verdicts.filter((v) => !v.allowAbsent).map((v) => v.header.toLowerCase()));
    const pairs = SENDS[name].full.filter(([header]) => !verdictHeaders.has(header.toLowerCase()));
    expectOutcome(() => extractWithProfile({ preset: name }, pairs).certificate, 'PROXY_VERDICT_FAILED');
  });

  it.each<[string, Pairs, Expected]>([
    ['renamed header is read', [['X-Client-Cert', encode.urlPem(leaf.pem)]], { leaf: leaf.der }],
    ['the preset name is then ignored', [['X-SSL-Client-Cert', encode.urlPem(leaf.pem)]], 'CERT_MISSING'],
  ])('nginx with headers.cert renamed and verdicts: []: %s', (_n, pairs, expected) => {
    expectOutcome(() => extractWithProfile({ preset: 'nginx', headers: { cert: 'X-Client-Cert' }, verdicts: [] }, pairs).certificate, expected);
  });

  it('aws-alb-verify: carries the serial-number header as a claim for assertClaimsMatch', () => {
    const result = extractWithProfile({ preset: 'aws-alb-verify' }, SENDS['aws-alb-verify'].full);
    expect(result.certificate.claims?.serialNumber).toBe(leaf.serialNumber.toLowerCase().replace(/^0+/, ''));
  });

  it.each([
    ['unknown preset', { preset: 'nginxx' as never }, /Unknown proxy preset "nginxx"; use one of/],
    ['format disagrees with preset', { preset: 'nginx' as const, format: 'xfcc' as const }, /preset "nginx" sends "url-pem"/],
    ['neither format nor preset', {}, /set "format"/],
    ['bad header name', { format: 'pem' as const, headers: { cert: 'X SSL' } }, /not a valid HTTP header name/],
  ])('bootstrap error: %s', (_n, profile, message) => {
    expect(() => extractWithProfile(profile, [])).toThrow(message);
  });

  it('flags the proxies that forward certificates they did not validate', () => {
    expect(PROXY_PRESET_NAMES.filter((name) => getProxyPreset(name).forwardsUnvalidated).sort()).toEqual(
      ['aws-alb-passthrough', 'azure-app-gateway', 'azure-app-service', 'cloudflare', 'gcp'].sort(),
    );
  });
});
