import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RegistryAdminService } from '../../admin/registry-admin.service';
import { REGISTRY_ENTITIES } from '../../entities/registry.entities';
import { LocalInvalidationBus } from '../../invalidation/local-invalidation.bus';
import { REGISTRY_MIGRATIONS, REGISTRY_MIGRATIONS_TABLE } from '../../migrations/registry.migrations';
import { buildPrincipal, quietLogger, uniq } from '../../testing/principal.builder';
import { QueryCountingLogger } from '../../testing/query-counting.logger';
import { CandidateQuery } from '../candidate.query';
import { TypeOrmClientCertRegistry } from '../typeorm-client-cert.registry';
import { candidateReaderFor } from './candidate-reader.factory';

/**
 * A TypeORM driver the registry has no prepared path for (sql.js: SQLite compiled to
 * WebAssembly, in memory) still works end to end, through the query builder as before.
 */
describe('the request path on a driver without prepared statements (TypeORM sqljs)', () => {
  const sql = new QueryCountingLogger();
  let dataSource: DataSource;
  let registry: TypeOrmClientCertRegistry;
  let admin: RegistryAdminService;

  beforeAll(async () => {
    dataSource = new DataSource({
      type: 'sqljs',
      entities: REGISTRY_ENTITIES,
      migrations: REGISTRY_MIGRATIONS,
      migrationsTableName: REGISTRY_MIGRATIONS_TABLE,
      logger: sql,
      logging: ['query'],
    });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const bus = new LocalInvalidationBus(`sqljs:${randomBytes(6).toString('hex')}`);
    registry = new TypeOrmClientCertRegistry(dataSource, bus, { lastSeenFlushSeconds: 0, logger: quietLogger() });
    admin = new RegistryAdminService(dataSource, bus);
  });
  afterAll(async () => {
    await registry?.close();
    await dataSource?.destroy();
  });

  it('reads through the TypeORM query builder', () => {
    expect(candidateReaderFor(dataSource)).toBeInstanceOf(CandidateQuery);
  });

  it('resolves, refuses unknown and denied certificates, and follows invalidation', async () => {
    const name = uniq('sqljs');
    await admin.addAccount({ name, roles: ['r'] });
    const principal = buildPrincipal({ subject: `CN=${name},O=Example` });
    await admin.bind({ account: name, kind: 'subject', value: principal.subject });

    const statements = await sql.during(async () => {
      expect(await registry.isDenied(principal)).toBe(false);
      expect((await registry.resolve(principal))?.account).toEqual({ id: expect.any(String), name, status: 'active', roles: ['r'] });
    });
    // Two statements, as before this release: no combined read on this driver.
    expect(statements).toHaveLength(2);
    expect(await registry.resolve(buildPrincipal())).toBeNull();

    await admin.deny({ issuer: principal.issuer, serial: principal.serialNumber });
    expect(await registry.isDenied(principal)).toBe(true);
    await admin.disable(name);
    expect((await registry.resolve(principal))?.account.status).toBe('disabled');
  });
});
