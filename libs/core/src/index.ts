// Nest surface
export { ClientCertAuthModule } from './client-cert-auth.module';
export { ClientCertGuard } from './guards/client-cert.guard';
export { ClientCertPassportGuard } from './guards/client-cert-passport.guard';
export { ClientCertGraphQLError, type ClientCertGraphQLExtensions } from './guards/graphql-error.mapper';
export { ClientCertStrategy, CLIENT_CERT_STRATEGY } from './passport/client-cert.strategy';
export { ClientCert, ClientAccount } from './decorators/client-cert.decorator';
export { clientCertOf } from './authentication/request.adapter';
export { RequireClientRoles } from './decorators/require-client-roles.decorator';
export { SkipClientCert } from './decorators/skip-client-cert.decorator';
export { CertificateBoundTokenGuard } from './bound-token/certificate-bound-token.guard';
export { assertTokenBoundToCertificate } from './bound-token/certificate-thumbprint.check';
export type { CertificateBoundTokenOptions } from './bound-token/bound-token.options';
export { ClientCertAuthenticator } from './authentication/client-cert.authenticator';
export type { AuthenticatedClient } from './authentication/authenticated-client';
export { ClientCertConnectionAuthenticator } from './websocket/client-cert-connection.authenticator';
export { wsCloseCodeFor } from './websocket/socket.refusal';

// Options
export type { ClientCertAuthOptions } from './options/client-cert-auth.options';
export { resolveOptions, type ResolvedClientCertAuthOptions } from './options/options.resolver';
export type { ProxyProfileOptions, ProxyHeaderNames, ProxyVerdictOptions, SharedSecretOptions, HmacOptions } from './options/proxy-profile.options';
export { isTlsProfile, type TlsProfileOptions, type ClientCertProfileOptions } from './options/tls-profile.options';
export type { TrustAnchorOptions, ValidationOptions } from './options/trust.options';
export type {
  RevocationMode,
  RevocationOptions,
  CrlOptions,
  OcspOptions,
  OcspCacheOptions,
  CircuitBreakerOptions,
  RevocationAnchorOverride,
} from './options/revocation.options';
export { clientCertOptionsFromSettings, type SettingsReader } from './options/env.options';
export { ClientCertOptionsError } from './options/options.error';

// Principal, registry port, errors
export type { ClientCertPrincipal } from './principal/client-cert-principal';
export { ClientCertRegistry, type AccountCertificateExpiry, type RegistryLookup } from './registry/client-cert-registry';
export { BINDING_KINDS, type BindingKind, type MatchedBinding, type RegistryMatch } from './registry/client-account';
export { createPrincipal } from './principal/principal.factory';
export { ClientCertError, isClientCertError } from './errors/client-cert.error';
export { ClientCertErrorCode } from './errors/client-cert-error-code';
export { HTTP_STATUS_BY_CODE } from './errors/http-status.table';
export { MissingPeerDependencyError, requireOptionalPeer } from './errors/optional-peer.loader';

// Nest-free building blocks (shared by the guard, the CLI and your own code)
export { parseCertificate } from './certificate/certificate.parser';
export { decodePemCertificates, toPem } from './certificate/pem';
export {
  CertificatePathValidator,
  type CertificatePathValidatorOptions,
  type CertificatePolicyOptions,
  type PathValidationOptions,
} from './certificate/path.validator';
export { readSpiffeId, tryReadSpiffeId, type SpiffeIdOptions } from './certificate/spiffe-id';
export type {
  ParsedCertificate,
  DistinguishedName,
  DnAttribute,
  SubjectAltNames,
  PublicKeyInfo,
  CertificateExtension,
  CertificatePolicyExtensions,
} from './certificate/parsed-certificate';
export type { PathValidationResult, PathValidationFailureCode } from './certificate/path-validation.types';
export { HEADER_FORMATS, type HeaderFormat } from './header/header-format';
export { DEFAULT_HEADER_NAMES } from './header/formats/parser.factory';
export type { ForwardedCertificate } from './header/forwarded-certificate';
export type { ForwardedRequest, RequestConnection } from './header/forwarded-request';
export { TrustedProxies, type ExtractedCertificate } from './source/trusted-proxies';
export { ReplayStore } from './source/replay.store';
export { MemoryReplayStore } from './source/memory-replay.store';
export { buildHmacMessage, type HmacMessageParts, type HmacCoverage } from './source/hmac-message.builder';
export { extractWithProfile } from './header/extract-with-profile';
export { assertClaimsMatch } from './header/claims.check';
export { PROXY_PRESETS, getProxyPreset } from './header/presets/preset.registry';
export { PROXY_PRESET_NAMES, type ProxyPresetName, type ProxyPreset } from './header/presets/proxy-preset';
export type { ClientCertDecision } from './authentication/client-cert-decision';
export { assertRoles } from './authentication/roles.check';
export type { DecisionLogOptions } from './authentication/decision.log';
export type { RefusalSummaryOptions } from './authentication/decision-log.options';

// Observability: start-up checks, response hints, the registry probe port (metrics and health:
// '@client-cert-auth/core/metrics' and '@client-cert-auth/core/health', each with its optional peer)
export type { ClientCertMetricsOptions, PrometheusRegistry } from './observability/metrics.options';
export { ClientCertRegistryProbe } from './observability/registry.probe';
export { ClientCertResponseHints, EXPECTED_HEADER_HINT } from './observability/response.hints';
export type { ResponseHintOptions } from './observability/response-hint.options';
export {
  lintSetup,
  enforceSetupChecks,
  enforceRegistryChecks,
  SETUP_RULES,
  type BindingScopeSummary,
  type SetupCheckOptions,
  type SetupFinding,
  type SetupRule,
} from './options/setup.linter';
export type { SpiffeOptions } from './options/spiffe.options';
export { RevocationChecker, enforceRevocationVerdict, type RevocationHealth, type RevocationVerdict } from './revocation/revocation.checker';
