import type { ProxyPreset } from './proxy-preset';

/** Managed load balancers and CDNs. Header names of operator-configured rules are our documented defaults. */
export const CLOUD_PRESETS: readonly ProxyPreset[] = [
  {
    name: 'aws-alb-passthrough',
    description: 'AWS ALB mTLS passthrough: X-Amzn-Mtls-Clientcert, URL-encoded PEM leaf then chain, NOT validated by ALB',
    format: 'url-pem',
    headers: { cert: 'X-Amzn-Mtls-Clientcert' },
    verdicts: [],
    forwardsUnvalidated: true,
  },
  {
    name: 'aws-alb-verify',
    description: 'AWS ALB mTLS verify mode: X-Amzn-Mtls-Clientcert-Leaf (URL-encoded PEM) and its serial number',
    format: 'url-pem',
    headers: { cert: 'X-Amzn-Mtls-Clientcert-Leaf', serial: 'X-Amzn-Mtls-Clientcert-Serial-Number' },
    verdicts: [],
    forwardsUnvalidated: false,
  },
  {
    name: 'gcp',
    description: 'Google Cloud Application LB mTLS custom headers ({client_cert_leaf} etc.); permissive mode forwards unvalidated certificates',
    format: 'gcp',
    headers: {
      cert: 'X-Client-Cert-Leaf',
      chain: 'X-Client-Cert-Chain',
      present: 'X-Client-Cert-Present',
      fingerprint: 'X-Client-Cert-Hash',
    },
    verdicts: [
      { header: 'X-Client-Cert-Chain-Verified', expect: 'true' },
      { header: 'X-Client-Cert-Error', expect: '', allowAbsent: true },
    ],
    forwardsUnvalidated: true,
  },
  {
    name: 'cloudflare',
    description: 'Cloudflare Transform Rule headers from cf.tls_client_auth.cert_rfc9440 / cert_chain_rfc9440, cert_verified, cert_revoked',
    format: 'rfc9440',
    headers: { cert: 'Client-Cert', chain: 'Client-Cert-Chain' },
    // cert_verified is true for a revoked certificate: both must be required.
    verdicts: [
      { header: 'Cf-Client-Cert-Verified', expect: 'true' },
      { header: 'Cf-Client-Cert-Revoked', expect: 'false' },
    ],
    forwardsUnvalidated: true,
  },
  {
    name: 'azure-app-service',
    description: 'Azure App Service X-ARR-ClientCert: base64 DER, not validated by the platform',
    format: 'base64-der',
    headers: { cert: 'X-ARR-ClientCert' },
    verdicts: [],
    forwardsUnvalidated: true,
  },
  {
    name: 'azure-app-gateway',
    description: 'Azure Application Gateway rewrite headers {var_client_certificate} (PEM) and {var_client_certificate_verification}',
    format: 'pem',
    headers: { cert: 'X-Client-Cert' },
    verdicts: [{ header: 'X-Client-Cert-Verification', expect: 'SUCCESS' }],
    forwardsUnvalidated: true,
  },
];
