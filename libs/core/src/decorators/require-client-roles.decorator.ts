import { SetMetadata } from '@nestjs/common';
import { REQUIRED_ROLES_KEY } from './metadata.keys';

/**
 * The authenticated account must hold every listed role, or the request gets 403 `ROLE_MISSING`.
 * On a class and a method, both lists apply.
 *
 * @example
 * @RequireClientRoles('orders:write')
 * @Post() create(...) {}
 */
export const RequireClientRoles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES_KEY, roles);
