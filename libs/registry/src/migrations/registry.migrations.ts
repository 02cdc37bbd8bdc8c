import { CreateRegistry1764290000000 } from './1764290000000-create-registry.migration';
import { CreateReplayNonces1765000000000 } from './1765000000000-create-replay-nonces.migration';
import { RecomputeDnKeys1765000000001 } from './1765000000001-recompute-dn-keys.migration';
import { LastSeenCertificate1765150000000 } from './1765150000000-last-seen-certificate.migration';

/** Every registry migration, oldest first. Add new ones at the end; never edit a shipped one. */
export const REGISTRY_MIGRATIONS = [
  CreateRegistry1764290000000,
  CreateReplayNonces1765000000000,
  RecomputeDnKeys1765000000001,
  LastSeenCertificate1765150000000,
];

/** The registry's own migrations table, so it never collides with the application's. */
export const REGISTRY_MIGRATIONS_TABLE = 'cc_registry_migrations';
