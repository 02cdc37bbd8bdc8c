import type { EventEmitter } from 'node:events';
import type { EntityManager } from 'typeorm';

/** What changed; listeners clear their caches whatever the kind (writes are rare). */
export interface InvalidationEvent {
  readonly kind: 'account' | 'binding' | 'deny' | 'all';
  /** Optional detail for logs, e.g. the account name. */
  readonly subject?: string;
}

/** Called when caches must be dropped. */
export type InvalidationListener = (event: InvalidationEvent) => void;

/**
 * Carries "the registry changed" from the writer to every registry instance that may cache it.
 * `publish` runs inside the writer's transaction so the signal is sent exactly when the change
 * commits (PostgreSQL delivers NOTIFY on commit), never before.
 */
export abstract class InvalidationBus {
  /** @param emitter where this process's listeners hear changes (each bus decides whom it is shared with). */
  protected constructor(private readonly emitter: EventEmitter) {}

  /** Announce a change; call inside the write transaction. */
  abstract publish(manager: EntityManager, event: InvalidationEvent): Promise<void>;

  /** Local delivery after commit (same process); remote instances get it from the database. */
  afterCommit(event: InvalidationEvent): void {
    this.deliver(event);
  }

  /** Tells this process's listeners (also for changes heard from other instances). */
  protected deliver(event: InvalidationEvent): void {
    this.emitter.emit('invalidate', event);
  }

  /** Subscribe; returns the unsubscribe function. */
  subscribe(listener: InvalidationListener): () => void {
    this.emitter.on('invalidate', listener);
    return () => this.emitter.off('invalidate', listener);
  }

  /**
   * False while remote invalidations may be missed (the LISTEN connection is down): the
   * registry then serves nothing from its cache, so a cut-off client cannot slip through.
   */
  abstract get connected(): boolean;

  abstract close(): Promise<void>;
}
