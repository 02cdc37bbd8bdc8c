import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * Opens a registry DataSource: connects, creates the PostgreSQL schema when one is configured
 * (migrations need it to exist), then applies pending migrations when asked.
 */
export async function openRegistryDataSource(options: DataSourceOptions, migrationsRun: boolean): Promise<DataSource> {
  const dataSource = new DataSource({ ...options, migrationsRun: false });
  await dataSource.initialize();
  try {
    if (migrationsRun) await migrateRegistry(dataSource);
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  return dataSource;
}

/** Creates the schema if needed and runs pending migrations; returns the names applied. */
export async function migrateRegistry(dataSource: DataSource): Promise<string[]> {
  const options = dataSource.options as { type: string; schema?: string };
  if (options.type === 'postgres' && options.schema) {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  }
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((migration) => migration.name);
}
