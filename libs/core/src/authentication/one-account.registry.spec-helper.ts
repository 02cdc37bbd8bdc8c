import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import type { RegistryMatch } from '../registry/client-account';
import { ClientCertRegistry } from '../registry/client-cert-registry';

/**
 * A real (small) registry for authenticator specs: every certificate with the SAN DNS name
 * `orders.clients.test` is the one account `orders-app`. Without `generation` the warm path is off.
 */
export class OneAccountRegistry extends ClientCertRegistry {
  private readonly match: RegistryMatch = {
    account: { id: 'a1', name: 'orders-app', status: 'active', roles: [] },
    binding: { id: 'b1', kind: 'san-dns', value: 'orders.clients.test' },
  };
  async resolve(principal: ClientCertPrincipal): Promise<RegistryMatch | null> {
    return principal.san.dns.includes('orders.clients.test') ? this.match : null;
  }
  async isDenied(): Promise<boolean> {
    return false;
  }
}
