import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createDevPki, writeDevPki } from './dev-pki';
import { openssl, tempFiles } from './openssl.spec-helper';

describe('createDevPki', () => {
  const pki = createDevPki({
    clients: [
      { name: 'alice', subject: 'CN=alice,O=Dev', san: { email: ['alice@dev.test'] } },
      { name: 'bob', subject: 'CN=bob,O=Dev' },
    ],
  });
  const x = (pem: string) => new X509Certificate(pem);
  const tmp = tempFiles();
  afterAll(() => tmp.cleanup());

  it('builds root (pathLen 1) -> intermediate (pathLen 0) -> clientAuth leaves', () => {
    const [root, int] = [x(pki.root.pem), x(pki.intermediate.pem)];
    expect(root.ca && int.ca).toBe(true);
    expect(int.checkIssued(root) && int.verify(root.publicKey)).toBe(true);
    for (const name of ['alice', 'bob']) {
      const leaf = x(pki.clients[name].pem);
      expect(leaf.checkIssued(int) && leaf.verify(int.publicKey)).toBe(true);
      expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
      expect(leaf.ca).toBe(false);
    }
    expect(x(pki.clients.alice.pem).subjectAltName).toBe('email:alice@dev.test');
    const text = openssl(['x509', '-noout', '-text', '-in', tmp.write('int.pem', pki.intermediate.pem)]).out;
    expect(text).toContain('CA:TRUE, pathlen:0');
    expect(openssl(['x509', '-noout', '-text', '-in', tmp.write('root-t.pem', pki.root.pem)]).out).toContain('CA:TRUE, pathlen:1');
  });

  it('gives every certificate its own key', () => {
    const certs = [pki.root, pki.intermediate, pki.clients.alice, pki.clients.bob];
    expect(new Set(certs.map((c) => c.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'))).size).toBe(4);
  });

  it('issues one default client when none are named', () => expect(Object.keys(createDevPki().clients)).toEqual(['client']));

  it('rejects a client name that is not a safe file name', () =>
    expect(() => createDevPki({ clients: [{ name: '../x', subject: 'CN=x' }] })).toThrow(/safe file name/));

  it('writeDevPki writes the named PEM files, keys 0600, and openssl verifies the written chain', () => {
    const dir = join(tmp.dir, 'nested', 'pki');
    writeDevPki(dir, pki);
    for (const f of ['root.pem', 'intermediate.pem', 'alice.pem', 'alice.key.pem', 'alice-chain.pem', 'bob.pem', 'bob.key.pem', 'bob-chain.pem']) {
      expect(statSync(join(dir, f)).isFile()).toBe(true);
    }
    expect(statSync(join(dir, 'alice.key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'alice-chain.pem'), 'utf8')).toBe(pki.clients.alice.pem + pki.intermediate.pem);
    const r = openssl([
      'verify',
      '-CAfile',
      join(dir, 'root.pem'),
      '-untrusted',
      join(dir, 'intermediate.pem'),
      '-purpose',
      'sslclient',
      join(dir, 'alice.pem'),
    ]);
    expect(r.out).toContain('alice.pem: OK');
    const keyMatches =
      openssl(['x509', '-noout', '-pubkey', '-in', join(dir, 'bob.pem')]).out === openssl(['pkey', '-pubout', '-in', join(dir, 'bob.key.pem')]).out;
    expect(keyMatches).toBe(true);
  });

  it('issues no server certificate unless asked', () => expect(pki.server).toBeUndefined());

  it('with server: a serverAuth certificate for localhost, 127.0.0.1 and ::1 that openssl verifies as sslserver, written as server.pem + key', () => {
    const withServer = createDevPki({ clients: [], server: true });
    const server = x(withServer.server!.pem);
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
    const dir = join(tmp.dir, 'with-server');
    writeDevPki(dir, withServer);
    expect(readFileSync(join(dir, 'server.pem'), 'utf8')).toBe(withServer.server!.pem + withServer.intermediate.pem);
    expect(statSync(join(dir, 'server.key.pem')).mode & 0o777).toBe(0o600);
    const verify = (purpose: string) =>
      openssl(['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'intermediate.pem'), '-purpose', purpose, join(dir, 'server.pem')]).out;
    expect(verify('sslserver')).toContain('server.pem: OK');
    expect(verify('sslclient')).not.toContain('server.pem: OK');
  });
});
