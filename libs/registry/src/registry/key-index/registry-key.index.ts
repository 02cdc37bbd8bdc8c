import type { RegistryLogger } from '../registry.logger';
import type { KeySnapshot, KeySource } from './key-index.source';
import { fnv1aKeyHash, type KeyHash } from './key-presence.index';

/** Tuning of the key-presence index (`keyIndex` option). */
export interface KeyIndexOptions {
  /**
   * Bindings plus deny-list entries above which no index is built (lookups keep one statement
   * each). The index costs 4 bytes a key; building it reads every key.
   * @default 1000000
   */
  readonly maxKeys?: number;
}

export const DEFAULT_KEY_INDEX_MAX_KEYS = 1_000_000;

/**
 * A build may take at most this share of the time: after one that took `t` ms, the next waits
 * `t * (1 / share - 1)` ms. A build of 100,000 keys took 0.25-0.3 s on SQLite and 1.8-2.7 s on
 * PostgreSQL (2-core host at load 6-10, bench/micro/key-index.bench.ts), so a stream of registry
 * writes cannot turn into a stream of builds; lookups read the database meanwhile.
 */
const MAX_BUILD_SHARE = 0.1;
/** After a failed build (database down, write transaction open), wait at least this long. */
const RETRY_AFTER_FAILURE_MS = 1000;

/**
 * Keeps the registry's key-presence index (every bound key, every denied key) current the way
 * its caches are: the first lookup schedules a build, invalidations mark it stale, and the next
 * lookup schedules a rebuild; a build whose generation was overtaken by an invalidation is
 * discarded. Builds are lazy and never overlap, so invalidations arriving while one is pending
 * collapse into it. Until a current index is installed `current()` is `undefined` and lookups
 * take the statement path (which reports REGISTRY_UNAVAILABLE itself when the database is down).
 */
export class RegistryKeyIndex {
  private snapshot?: KeySnapshot;
  private generation = 0;
  private pending?: Promise<void>;
  private notBefore = 0;
  /** Over the cap at this generation: do not count again until a write changes the registry. */
  private overCap = false;
  private overCapLogged = false;
  private closed = false;

  constructor(
    private readonly source: KeySource,
    private readonly logger: RegistryLogger,
    private readonly maxKeys: number,
    private readonly hash: KeyHash = fnv1aKeyHash,
  ) {}

  /** The index when it is current; otherwise `undefined`, and a build is scheduled. */
  current(): KeySnapshot | undefined {
    if (this.snapshot === undefined) this.schedule();
    return this.snapshot;
  }

  /** The registry changed (or may have): the index is stale until rebuilt. */
  invalidate(): void {
    this.generation++;
    this.snapshot = undefined;
    this.overCap = false;
  }

  /** Resolves when no build is scheduled or running (tests, benchmarks). */
  async settled(): Promise<void> {
    while (this.pending) await this.pending;
  }

  close(): void {
    this.closed = true;
    this.snapshot = undefined;
  }

  private schedule(): void {
    if (this.pending || this.overCap || this.closed) return;
    const delay = this.notBefore - Date.now();
    // After the current request: the build never runs inside the lookup that asked for it. A
    // spaced build waits on an unref'd timer, so it never keeps a closing process alive.
    this.pending = new Promise<void>((resolve) => (delay > 0 ? setTimeout(resolve, delay).unref() : setImmediate(resolve)))
      .then(() => this.build())
      .finally(() => (this.pending = undefined));
  }

  private async build(): Promise<void> {
    if (this.closed) return;
    const generation = this.generation;
    const started = Date.now();
    try {
      const keys = await this.source.count();
      if (keys > this.maxKeys) {
        this.overCap = generation === this.generation;
        if (!this.overCapLogged) {
          this.overCapLogged = true;
          this.logger.log(
            `registry.key-index.off: ${keys} bindings and deny-list entries exceed keyIndex.maxKeys (${this.maxKeys}); ` +
              'every never-seen certificate costs a statement. Raise keyIndex.maxKeys to index them (4 bytes a key).',
          );
        }
        return;
      }
      const snapshot = await this.source.read(this.hash);
      if (generation === this.generation && !this.closed) this.snapshot = snapshot;
      this.notBefore = Date.now() + (Date.now() - started) * (1 / MAX_BUILD_SHARE - 1);
    } catch (error) {
      this.notBefore = Date.now() + RETRY_AFTER_FAILURE_MS;
      this.logger.warn(`registry.key-index.unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
