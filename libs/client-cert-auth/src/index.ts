// Nest surface
export { ClientCertAuthModule } from './client-cert-auth.module';
export { ClientCertGuard } from './guards/client-cert.guard';
export { ClientCertPassportGuard } from './guards/client-cert-passport.guard';
export { ClientCertStrategy, CLIENT_CERT_STRATEGY } from './passport/client-cert.strategy';
export { ClientCert, ClientAccount } from './decorators/client-cert.decorator';
export { RequireClientRoles } from './decorators/require-client-roles.decorator';
export { SkipClientCert } from './decorators/skip-client-cert.decorator';
export { ClientCertAuthenticator } from './authentication/client-cert.authenticator';
export type { AuthenticatedClient } from './authentication/authenticated-client';

// Options
export type { ClientCertAuthOptions } from './options/client-cert-auth.options';
export type {
  ProxyProfileOptions,
  ProxyHeaderNames,
  ProxyVerdictOptions,
  SharedSecretOptions,
  HmacOptions,
} from './options/proxy-profile.options';
export type { TrustAnchorOptions, ValidationOptions } from './options/trust.options';
export type { RevocationMode, RevocationOptions } from './options/revocation.options';
export { clientCertOptionsFromSettings, type SettingsReader } from './options/env.options';
export { ClientCertOptionsError } from './options/options.error';

// Principal, registry port, errors
export type { ClientCertPrincipal } from './principal/client-cert-principal';
export { ClientCertRegistry } from './registry/client-cert-registry';
export { BINDING_KINDS, type BindingKind, type MatchedBinding, type RegistryMatch } from './registry/client-account';
export { ClientCertError, isClientCertError } from './errors/client-cert.error';
export { ClientCertErrorCode } from './errors/client-cert-error-code';
export { HTTP_STATUS_BY_CODE } from './errors/http-status.table';

// Nest-free building blocks (shared by the guard, the CLI and your own code)
export { parseCertificate } from './certificate/certificate.parser';
export { decodePemCertificates } from './certificate/pem';
export { CertificatePathValidator } from './certificate/path.validator';
export type { ParsedCertificate, DistinguishedName, SubjectAltNames } from './certificate/parsed-certificate';
export type { PathValidationResult, PathValidationFailureCode } from './certificate/path-validation.types';
export { HEADER_FORMATS, type HeaderFormat } from './header/header-format';
export type { ForwardedCertificate } from './header/forwarded-certificate';
export type { ForwardedRequest } from './header/forwarded-request';
export { TrustedProxies, type ExtractedCertificate } from './source/trusted-proxies';
export { extractWithProfile } from './header/extract-with-profile';
export { assertClaimsMatch } from './header/claims.check';
export { PROXY_PRESETS, getProxyPreset } from './header/presets/preset.registry';
export { PROXY_PRESET_NAMES, type ProxyPresetName, type ProxyPreset } from './header/presets/proxy-preset';
export type { ClientCertDecision } from './authentication/client-cert-decision';
export type { DecisionLogOptions } from './authentication/decision.log';
