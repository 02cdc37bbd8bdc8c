import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { REQUIRED_ROLES_KEY, SKIP_CLIENT_CERT_KEY } from '../decorators/metadata.keys';

/** What the guards need to know about a route: `@SkipClientCert()` and `@RequireClientRoles()`. */
export interface RouteAuthMetadata {
  readonly skip: boolean;
  /** Merged handler + class roles; empty when none are required. */
  readonly roles: readonly string[];
}

/** A handler's metadata under the first controller class it was read for, kept on the handler itself. */
interface FirstRead {
  readonly type: object;
  readonly metadata: RouteAuthMetadata;
}

/**
 * Reads a route's auth metadata once per (handler, controller class) instead of per request:
 * decorators write metadata when the class is defined, so the answer never changes, while two
 * Reflector walks and a targets array per request are measurable on the hot path (bench/).
 * Keyed by handler AND class because an inherited handler can sit under differently decorated
 * controllers. The usual case, a handler under one class, is a property of the handler function
 * (a private symbol, one per cache): timed inside the loaded bench server, the lookup took
 * 0.18-0.38 µs that way against 0.32-0.61 µs through two WeakMaps (bench/RESULTS.md, eighth
 * session). Other classes, and handlers that cannot take a property, go through the WeakMaps.
 */
export class RouteMetadataCache {
  private readonly byHandler = new WeakMap<object, WeakMap<object, RouteAuthMetadata>>();
  private readonly first = Symbol('clientCertRouteMetadata');

  constructor(private readonly reflector: Reflector) {}

  for(context: ExecutionContext): RouteAuthMetadata {
    const handler = context.getHandler() as unknown;
    const type = context.getClass() as unknown;
    if (typeof handler !== 'function' || typeof type !== 'function') return this.read(handler, type);
    const first = (handler as unknown as Record<symbol, FirstRead | undefined>)[this.first];
    if (first !== undefined && first.type === type) return first.metadata;
    let byClass = this.byHandler.get(handler);
    if (!byClass) this.byHandler.set(handler, (byClass = new WeakMap()));
    let metadata = byClass.get(type);
    if (!metadata) {
      byClass.set(type, (metadata = this.read(handler, type)));
      if (first === undefined && Object.isExtensible(handler)) {
        Object.defineProperty(handler, this.first, { value: { type, metadata } satisfies FirstRead, enumerable: false });
      }
    }
    return metadata;
  }

  private read(handler: unknown, type: unknown): RouteAuthMetadata {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    const targets = [handler, type] as Function[];
    return {
      skip: Boolean(this.reflector.getAllAndOverride<boolean>(SKIP_CLIENT_CERT_KEY, targets)),
      roles: this.reflector.getAllAndMerge<string[]>(REQUIRED_ROLES_KEY, targets),
    };
  }
}
