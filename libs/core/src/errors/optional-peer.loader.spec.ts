import { MissingPeerDependencyError, requireOptionalPeer } from './optional-peer.loader';

describe('requireOptionalPeer', () => {
  it('returns an installed package', () => {
    const passport = requireOptionalPeer<{ Passport: unknown }>(require, 'passport', 'the Passport strategy');
    expect(typeof passport.Passport).toBe('function');
  });

  it('names the package to install when it is missing', () => {
    expect(() => requireOptionalPeer(require, 'no-such-peer-package', 'Metrics of @client-cert-auth/core')).toThrow(
      new MissingPeerDependencyError('no-such-peer-package', 'Metrics of @client-cert-auth/core'),
    );
    expect(() => requireOptionalPeer(require, 'no-such-peer-package', 'Metrics')).toThrow(/Run: npm install no-such-peer-package/);
  });
});
