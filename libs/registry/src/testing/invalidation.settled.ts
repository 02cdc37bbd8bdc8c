import type { RegistryHandle } from '../factory/create-registry';

/** Resolves once `handle` has heard no invalidation for `quietMs` (the writes' NOTIFYs have arrived). */
export async function settled(handle: RegistryHandle, quietMs = 150): Promise<void> {
  let last = Date.now();
  const off = handle.bus.subscribe(() => (last = Date.now()));
  try {
    while (Date.now() - last < quietMs) await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    off();
  }
}
