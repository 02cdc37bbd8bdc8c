import { EventEmitter } from 'node:events';
import type { Client } from 'pg';
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
  /** How often the LISTEN connection is probed, to notice a silently dead link. @default 5000 */
  readonly heartbeatMs?: number;
  /** @default 5000 */
  readonly maxReconnectDelayMs?: number;
}

/**
 * Cross-instance invalidation over PostgreSQL LISTEN/NOTIFY on a dedicated connection (not a
 * pool connection: LISTEN is per session). Writers call `pg_notify` inside their transaction,
 * so every instance hears about a change when it commits. While the LISTEN link is down,
 * `connected` is false (the registry bypasses its cache) and reconnects with backoff; after a
 * reconnect everything is invalidated, since notifications may have been missed meanwhile.
 */
export class PostgresInvalidationBus extends InvalidationBus {
  private client?: Client;
  private isConnected = false;
  private closed = false;
  private retryDelayMs = 100;
  private reconnectTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;

  constructor(private readonly options: PostgresInvalidationBusOptions) {
    // A private emitter (not shared per process): other instances must hear us through PostgreSQL.
    super(new EventEmitter().setMaxListeners(0));
  }

  /** Opens the LISTEN connection; never throws (a failure schedules a reconnect). */
  async start(): Promise<void> {
    await this.connect();
    const heartbeat = this.options.heartbeatMs ?? 5000;
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
    await client?.end().catch(() => undefined);
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
    client.on('error', (error) => this.dropped(client, error));
    client.on('end', () => this.dropped(client));
    client.on('notification', (message) => this.onNotification(message.channel, message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${REGISTRY_NOTIFY_CHANNEL}`);
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
    void client.end().catch(() => undefined);
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
    if (!client) return;
    try {
      await client.query('SELECT 1');
    } catch (error) {
      this.dropped(client, error as Error);
    }
  }
}
