import { EventEmitter } from 'node:events';
import type { DataSource, EntityManager } from 'typeorm';
import { InvalidationBus, type InvalidationEvent } from './invalidation.bus';
import { SqliteChangeWatcher } from './sqlite-change.watcher';

/** One emitter per database identity, shared by every registry of this process. */
const EMITTERS = new Map<string, EventEmitter>();

function emitterFor(identity: string): EventEmitter {
  let emitter = EMITTERS.get(identity);
  if (!emitter) {
    emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    EMITTERS.set(identity, emitter);
  }
  return emitter;
}

/**
 * In-process invalidation (SQLite, or any store without a notification channel): every
 * registry and admin service of this process on the same database sees every write at once.
 * With `watch(dataSource)`, commits by other processes (the CLI) are noticed within a poll.
 */
export class LocalInvalidationBus extends InvalidationBus {
  private watcher?: SqliteChangeWatcher;

  constructor(readonly identity: string) {
    super(emitterFor(identity));
  }

  /** Also invalidate on commits by other connections to the same SQLite file. */
  watch(dataSource: DataSource, intervalMs?: number): this {
    this.watcher ??= new SqliteChangeWatcher(dataSource, () => this.afterCommit({ kind: 'all', subject: 'external-change' }), intervalMs);
    return this;
  }

  async publish(_manager: EntityManager, _event: InvalidationEvent): Promise<void> {
    // Nothing to do inside the transaction; delivery happens in afterCommit.
  }

  get connected(): boolean {
    return true;
  }

  async close(): Promise<void> {
    // The shared emitter lives as long as the process; only our poller stops.
    this.watcher?.close();
  }
}
