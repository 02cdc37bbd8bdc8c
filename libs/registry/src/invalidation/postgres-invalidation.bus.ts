import { EventEmitter } from 'node:events';
import type { Client, QueryConfig } from 'pg';
import { requireOptionalPeer } from '@client-cert-auth/core';
import type { EntityManager } from 'typeorm';
import { InvalidationBus, type InvalidationEvent } from './invalidation.bus';
import type { RegistryLogger } from '../registry/registry.logger';

/** The NOTIFY channel every registry instance LISTENs on. */
export const REGISTRY_NOTIFY_CHANNEL = 'client_cert_registry';

export interface PostgresInvalidationBusOptions {
  readonly url: string;
  /** Notifications of other schemas on the same database are ignored. */
  readonly schema: string;
  readonly logger: RegistryLogger;
  /** @default 'client-cert-registry' */
  readonly applicationName?: string;
  /**
   * How often the LISTEN connection is probed. A link can die without a word (a NAT or firewall
   * drops the flow, the server's FATAL never arrives), and every NOTIFY sent meanwhile is lost:
   * the probe is what bounds that blind spot. @default 250
   */
  readonly heartbeatMs?: number;
  /**
   * A probe not answered within this long marks the link dead: the cache is bypassed at once and
   * a new connection is opened. heartbeatMs + probeTimeoutMs is the longest time an instance can
   * go on serving a cached answer after an invalidation it never heard. @default 500
   */
  readonly probeTimeoutMs?: number;
  /** @default 5000 */
  readonly maxReconnectDelayMs?: number;
}

/**
 * Cross-instance invalidation over PostgreSQL LISTEN/NOTIFY on a dedicated connection (not a
 * pool connection: LISTEN is per session). Writers call `pg_notify` inside their transaction,
 * so every instance hears about a change when it commits. While the LISTEN link is down,
 * `connected` is false (the registry bypasses its cache) and reconnects with backoff; after a
 * reconnect everything is invalidated, since notifications may have been missed meanwhile.
 *
 * Why a fast probe is enough (no generation counter in the database): a session cannot come
 * back from the dead, and PostgreSQL delivers every notification committed while a session
 * listens before that session's next ReadyForQuery. So an answered probe proves that every
 * invalidation committed before it was sent has been heard; an unanswered one drops the link.
 */
export class PostgresInvalidationBus extends InvalidationBus {
  private client?: Client;
  private isConnected = false;
  private closed = false;
  private retryDelayMs = 100;
  private reconnectTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private probing = false;

  constructor(private readonly options: PostgresInvalidationBusOptions) {
    // A private emitter (not shared per process): other instances must hear us through PostgreSQL.
    super(new EventEmitter().setMaxListeners(0));
  }

  /** Opens the LISTEN connection; never throws (a failure schedules a reconnect). */
  async start(): Promise<void> {
    await this.connect();
    const heartbeat = this.options.heartbeatMs ?? 250;
    this.heartbeatTimer = setInterval(() => void this.probe(), heartbeat).unref();
  }

  async publish(manager: EntityManager, event: InvalidationEvent): Promise<void> {
    const payload = JSON.stringify({ schema: this.options.schema, kind: event.kind, subject: event.subject });
    await manager.query('SELECT pg_notify($1, $2)', [REGISTRY_NOTIFY_CHANNEL, payload]);
  }

  get connected(): boolean {
    return this.isConnected;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    const client = this.client;
    this.client = undefined;
    this.isConnected = false;
    if (client) await endWithin(client, 1000);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const { Client } = requireOptionalPeer<typeof import('pg')>(require, 'pg', 'PostgreSQL support of @client-cert-auth/registry');
    const client = new Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: 2000,
      keepAlive: true,
      query_timeout: 2000,
      application_name: `${this.options.applicationName ?? 'client-cert-registry'}:listen`,
    });
    // Until it is ours, a death of this client is only noted: connect() below decides.
    let lost = false;
    client.on('error', (error) => (client === this.client ? this.dropped(client, error) : (lost = true)));
    client.on('end', () => (client === this.client ? this.dropped(client) : (lost = true)));
    client.on('notification', (message) => this.onNotification(message.channel, message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${REGISTRY_NOTIFY_CHANNEL}`);
      // The FATAL of a terminated backend can arrive in the same read as the LISTEN reply.
      if (lost) throw new Error('connection lost right after LISTEN');
    } catch (error) {
      client.removeAllListeners('end');
      void client.end().catch(() => undefined);
      this.options.logger.warn(`registry.listen.connect_failed: ${(error as Error).message}`);
      this.scheduleReconnect();
      return;
    }
    if (this.closed) return void client.end().catch(() => undefined);
    this.client = client;
    this.isConnected = true;
    this.retryDelayMs = 100;
    this.deliver({ kind: 'all', subject: 'listen-connected' } satisfies InvalidationEvent);
  }

  private onNotification(channel: string, payload: string | undefined): void {
    if (channel !== REGISTRY_NOTIFY_CHANNEL) return;
    try {
      const event = JSON.parse(payload ?? '{}') as { schema?: string; kind?: InvalidationEvent['kind']; subject?: string };
      if (event.schema !== this.options.schema) return;
      this.deliver({ kind: event.kind ?? 'all', subject: event.subject });
    } catch {
      // An unreadable payload on our channel still means "something changed".
      this.deliver({ kind: 'all' });
    }
  }

  private dropped(client: Client, error?: Error): void {
    if (client !== this.client) return;
    this.client = undefined;
    this.isConnected = false;
    void endWithin(client, 1000);
    this.options.logger.warn(`registry.listen.disconnected: ${error?.message ?? 'connection ended'}`);
    this.deliver({ kind: 'all', subject: 'listen-disconnected' } satisfies InvalidationEvent);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.maxReconnectDelayMs ?? 5000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay).unref();
  }

  private async probe(): Promise<void> {
    const client = this.client;
    if (!client || this.probing) return;
    this.probing = true;
    try {
      // pg reads a per-query `query_timeout` (its typings omit it).
      await client.query({ text: 'SELECT 1', query_timeout: this.options.probeTimeoutMs ?? 500 } as QueryConfig);
    } catch (error) {
      this.dropped(client, error as Error);
    } finally {
      this.probing = false;
    }
  }
}

/** `end()` waits for the server's goodbye, which a dead link never sends: give up and cut the socket. */
async function endWithin(client: Client, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    client.end().then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms).unref())),
  ]);
  clearTimeout(timer);
  if (!ended) (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}
