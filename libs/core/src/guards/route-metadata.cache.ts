import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { REQUIRED_ROLES_KEY, SKIP_CLIENT_CERT_KEY } from '../decorators/metadata.keys';

/** What the guards need to know about a route: `@SkipClientCert()` and `@RequireClientRoles()`. */
export interface RouteAuthMetadata {
  readonly skip: boolean;
  /** Merged handler + class roles; empty when none are required. */
  readonly roles: readonly string[];
}

/**
 * Reads a route's auth metadata once per (handler, controller class) instead of per request:
 * decorators write metadata when the class is defined, so the answer never changes, while two
 * Reflector walks and a targets array per request are measurable on the hot path (bench/).
 * Keyed by handler AND class because an inherited handler can sit under differently decorated
 * controllers.
 */
export class RouteMetadataCache {
  private readonly byHandler = new WeakMap<object, WeakMap<object, RouteAuthMetadata>>();

  constructor(private readonly reflector: Reflector) {}

  for(context: ExecutionContext): RouteAuthMetadata {
    const handler = context.getHandler();
    const type = context.getClass();
    if (typeof handler !== 'function' || typeof type !== 'function') return this.read(handler, type);
    let byClass = this.byHandler.get(handler);
    if (!byClass) this.byHandler.set(handler, (byClass = new WeakMap()));
    let metadata = byClass.get(type);
    if (!metadata) byClass.set(type, (metadata = this.read(handler, type)));
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
