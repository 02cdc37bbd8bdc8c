import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClientCertRegistry } from '@client-cert-auth/core';
import { ClientCertRegistryModule, REGISTRY_CONNECTION, RegistryAdminService, TypeOrmClientCertRegistry } from '../index';
import { buildPrincipal, quietLogger, randomSha256, uniq } from '../testing/principal.builder';
import { type TestDatabase, testDrivers } from '../testing/registry-test.drivers';

/** A consumer elsewhere in the app: gets the port without importing the (global) registry module. */
@Injectable()
class Consumer {
  constructor(
    readonly registry: ClientCertRegistry,
    @InjectDataSource(REGISTRY_CONNECTION) readonly dataSource: DataSource,
  ) {}
}

@Module({ providers: [Consumer], exports: [Consumer] })
class ConsumerModule {}

describe.each(testDrivers())('ClientCertRegistryModule on $name', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => (db = await driver.create()));
  afterAll(async () => db?.drop());

  it("provides the ClientCertRegistry port and the admin service next to the app's own TypeORM connection", async () => {
    let factoryCalls = 0;
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:' }),
        ClientCertRegistryModule.forRootAsync({
          useFactory: async () => (factoryCalls++, { database: db.database, logger: quietLogger(), lastSeenFlushSeconds: 0 }),
        }),
        ConsumerModule,
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      const consumer = app.get(Consumer);
      expect(consumer.registry).toBeInstanceOf(TypeOrmClientCertRegistry);
      expect(consumer.registry).toBe(app.get(TypeOrmClientCertRegistry));
      expect(app.get(DataSource)).not.toBe(consumer.dataSource);
      expect(factoryCalls).toBe(1);

      const admin = app.get(RegistryAdminService);
      const name = uniq('nest');
      const fp = randomSha256();
      await admin.addAccount({ name, roles: ['r'] });
      await admin.bind({ account: name, kind: 'fingerprint', value: fp });
      await expect(consumer.registry.resolve(buildPrincipal({ fingerprintSha256: fp }))).resolves.toMatchObject({ account: { name } });
    } finally {
      await app.close();
    }
  });

  it('stops bootstrap with a fix-it message for bad options', async () => {
    const build = Test.createTestingModule({
      imports: [ClientCertRegistryModule.forRoot({ database: { type: 'mysql' } as never })],
    }).compile();
    await expect(build).rejects.toThrow(/database to \{ type: 'sqlite', path \} or \{ type: 'postgres', url \}/);
  });
});
