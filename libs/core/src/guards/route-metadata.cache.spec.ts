import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequireClientRoles } from '../decorators/require-client-roles.decorator';
import { SkipClientCert } from '../decorators/skip-client-cert.decorator';
import { RouteMetadataCache } from './route-metadata.cache';

@RequireClientRoles('base')
class BaseController {
  @RequireClientRoles('read')
  list(): void {}

  @SkipClientCert()
  health(): void {}

  plain(): void {}
}

@RequireClientRoles('admin')
class AdminController extends BaseController {}

class OpenController extends BaseController {}

const contextOf = (type: object, handler: object) => ({ getClass: () => type, getHandler: () => handler }) as unknown as ExecutionContext;
const { list, health, plain } = BaseController.prototype;

describe('RouteMetadataCache', () => {
  it.each([
    ['handler and class roles merged', BaseController, list, { skip: false, roles: ['read', 'base'] }],
    ['the class roles of a subclass for an inherited handler', AdminController, list, { skip: false, roles: ['read', 'admin'] }],
    ['inherited class metadata', OpenController, plain, { skip: false, roles: ['base'] }],
    ['@SkipClientCert()', BaseController, health, { skip: true, roles: ['base'] }],
  ])('reads %s, as Reflector does', (_label, type, handler, expected) => {
    expect(new RouteMetadataCache(new Reflector()).for(contextOf(type, handler))).toEqual(expected);
  });

  it('asks the Reflector once per (handler, class) pair', () => {
    const reflector = new Reflector();
    const spy = jest.spyOn(reflector, 'getAllAndMerge');
    const cache = new RouteMetadataCache(reflector);
    for (let n = 0; n < 5; n++) {
      cache.for(contextOf(BaseController, list));
      cache.for(contextOf(AdminController, list));
    }
    expect(spy).toHaveBeenCalledTimes(2);
    expect(cache.for(contextOf(AdminController, list)).roles).toEqual(['read', 'admin']);
  });

  it.each([
    ['the subclass first', [AdminController, BaseController, OpenController]],
    ['the base class first', [BaseController, OpenController, AdminController]],
  ])('keeps each class’s roles for an inherited handler, whichever class comes first (%s)', (_label, order) => {
    const cache = new RouteMetadataCache(new Reflector());
    const expected = new Map<object, string[]>([
      [BaseController, ['read', 'base']],
      [AdminController, ['read', 'admin']],
      [OpenController, ['read', 'base']],
    ]);
    for (let n = 0; n < 3; n++) for (const type of order) expect(cache.for(contextOf(type, list)).roles).toEqual(expected.get(type));
  });

  it('reads a frozen handler (which takes no property) as any other, once per class', () => {
    class FrozenController {
      @RequireClientRoles('frozen')
      get(): void {}
    }
    const handler = Object.freeze(FrozenController.prototype.get);
    const reflector = new Reflector();
    const spy = jest.spyOn(reflector, 'getAllAndMerge');
    const cache = new RouteMetadataCache(reflector);
    for (let n = 0; n < 3; n++) expect(cache.for(contextOf(FrozenController, handler)).roles).toEqual(['frozen']);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('keeps what it learns off the handler’s enumerable properties, and apart from another cache’s', () => {
    const first = new RouteMetadataCache(new Reflector());
    const second = new RouteMetadataCache(new Reflector());
    first.for(contextOf(BaseController, plain));
    const kept = Object.getOwnPropertySymbols(plain).filter((symbol) => symbol.description === 'clientCertRouteMetadata');
    expect(kept.length).toBeGreaterThan(0);
    for (const symbol of kept) expect(Object.prototype.propertyIsEnumerable.call(plain, symbol)).toBe(false);
    expect(second.for(contextOf(AdminController, plain)).roles).toEqual(['admin']);
    expect(first.for(contextOf(AdminController, plain)).roles).toEqual(['admin']);
    expect(first.for(contextOf(BaseController, plain)).roles).toEqual(['base']);
  });
});
