// Public API of the database-backed client certificate registry.

// Nest integration
export { ClientCertRegistryModule } from './module/client-cert-registry.module';
export { CLIENT_CERT_REGISTRY_OPTIONS } from './module/client-cert-registry.module-definition';
export { type ClientCertRegistryOptions, REGISTRY_CONNECTION, REGISTRY_INVALIDATION_BUS } from './module/client-cert-registry.options';

// Without Nest (CLI, scripts)
export { createRegistry, type RegistryHandle } from './factory/create-registry';

// The port implementation and its tuning
export { TypeOrmClientCertRegistry, type TypeOrmRegistryOptions } from './registry/typeorm-client-cert.registry';
export type { AmbiguityPolicy } from './registry/binding.matcher';
export type { RequestPath } from './registry/request-path/candidate-reader.factory';
export type { KeyIndexOptions } from './registry/key-index/registry-key.index';
export type { RegistryLogger } from './registry/registry.logger';
export { explainRegistryMatch, type BindingCandidate, type CandidateMismatch, type RegistryMatchExplanation } from './registry/match.explainer';

// Administration
export { RegistryAdminService } from './admin/registry-admin.service';
export { RegistryAdminError, type RegistryAdminErrorReason } from './admin/registry-admin.error';
export type { AccountView, BindingView, LastCertificateView, DeniedView, BindInput, UnbindInput, DenyTarget } from './admin/registry-admin.types';
export { registerRegistryCommands } from './cli/registry.commands';
export type { CliIo } from './cli/registry-cli.context';

// Database selection
export {
  DEFAULT_DATABASE_URL,
  parseDatabaseUrl,
  RegistryDatabaseUrlError,
  type RegistryDatabaseOptions,
  type SqliteRegistryDatabase,
  type PostgresRegistryDatabase,
} from './database/registry-database.options';

// Replay store of HMAC-signed profiles, shared across instances on PostgreSQL
export { PostgresReplayStore, type PostgresReplayStoreOptions } from './replay/postgres-replay.store';

// Invalidation (for custom wiring)
export { InvalidationBus, type InvalidationEvent } from './invalidation/invalidation.bus';
export { REGISTRY_NOTIFY_CHANNEL } from './invalidation/postgres-invalidation.bus';

// Normalization shared with anything that writes binding values
export { normalizeDn, DnSyntaxError } from './normalize/dn.normalizer';
export { normalizeBindingValue, normalizeIssuerScope, normalizeSerial, BindingValueError } from './normalize/binding-value.normalizer';
export { RegistryHealthProbe, pingRegistry } from './health/registry.health';
