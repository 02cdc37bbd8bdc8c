import { CanActivate, Injectable } from '@nestjs/common';

/**
 * The cheapest possible guard: the floor any Nest guard costs on a route (guard consumer,
 * execution context). Its row shows how much of ClientCertGuard's cost is Nest's, not ours.
 */
@Injectable()
export class TrivialGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}
