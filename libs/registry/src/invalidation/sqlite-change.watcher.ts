import type { DataSource } from 'typeorm';

/**
 * Notices commits made to the SQLite file by OTHER connections — typically the CLI run in
 * another process while the app serves — through `PRAGMA data_version`, which SQLite bumps
 * exactly then. Polled on a timer (never per request) straight on the better-sqlite3 handle,
 * so a CLI `unbind` reaches a running app within one poll interval instead of the cache TTL.
 */
export class SqliteChangeWatcher {
  private readonly timer: NodeJS.Timeout;
  private lastVersion?: number;
  private lastHandle?: unknown;

  constructor(
    private readonly dataSource: DataSource,
    private readonly onChange: () => void,
    intervalMs = 250,
  ) {
    this.poll(); // baseline now, so a commit before the first tick still counts as a change
    this.timer = setInterval(() => this.poll(), intervalMs).unref();
  }

  /** Reads the version now; returns true when another connection committed since last time. */
  poll(): boolean {
    const handle = this.handle();
    if (!handle) return false;
    let version: number;
    try {
      version = handle.pragma('data_version', { simple: true }) as number;
    } catch {
      return false; // an unusable handle shows up as REGISTRY_UNAVAILABLE on the next lookup
    }
    // A reopened handle starts its own numbering: treat it as a change.
    const changed = handle !== this.lastHandle ? this.lastHandle !== undefined : version !== this.lastVersion;
    this.lastHandle = handle;
    this.lastVersion = version;
    if (changed) this.onChange();
    return changed;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private handle(): { pragma(name: string, options: { simple: boolean }): unknown } | undefined {
    if (!this.dataSource.isInitialized) return undefined;
    const driver = this.dataSource.driver as unknown as { databaseConnection?: { open?: boolean; pragma?: unknown } };
    const connection = driver.databaseConnection;
    return connection?.open && typeof connection.pragma === 'function' ? (connection as never) : undefined;
  }
}
