/**
 * An optional peer dependency that a feature needs is not installed: says which package to add,
 * instead of a MODULE_NOT_FOUND stack trace from deep inside the library.
 */
export class MissingPeerDependencyError extends Error {
  override readonly name = 'MissingPeerDependencyError';

  constructor(
    /** The npm package to install. */
    readonly packageName: string,
    feature: string,
  ) {
    super(`${feature} needs the package "${packageName}", which is not installed. Run: npm install ${packageName}`);
  }
}

/**
 * Loads an optional peer dependency when the feature that needs it is used (never at import of
 * the main entry), so an app installs only the drivers and integrations it uses.
 *
 * @param from the caller's `require`, so the package resolves from the caller's package, as a
 *   plain import would (strict installers such as pnpm give each package its own view).
 * @param feature what needs it, for the message (e.g. "PostgreSQL support of @client-cert-auth/registry").
 * @throws MissingPeerDependencyError when the package itself cannot be found (any other load
 *   error, such as a broken native build, is rethrown as it is).
 * @example const { Client } = requireOptionalPeer<typeof import('pg')>(require, 'pg', 'PostgreSQL support');
 */
export function requireOptionalPeer<T>(from: NodeJS.Require, packageName: string, feature: string): T {
  try {
    return from(packageName) as T;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'MODULE_NOT_FOUND' && message.includes(`'${packageName}'`)) {
      throw new MissingPeerDependencyError(packageName, feature);
    }
    throw error;
  }
}
