/**
 * Suites and tests that need something this machine may lack (a proxy binary, PostgreSQL) are
 * skipped with the reason in their title; the skipped-tests reporter lists every such reason at
 * the end of `npm test`, so a run says what it did not check and why.
 */
const SKIPPED = (name: string, reason: string) => `${name} [skipped: ${reason}]`;

/** `describe` when `reason` is undefined, else a skipped describe (and `.each`) that carries the reason. */
export function describeUnless(reason: string | undefined): Pick<jest.Describe, 'each'> & ((name: string, fn: () => void) => void) {
  if (reason === undefined) return describe;
  const skipped = (name: string, fn: () => void) => describe.skip(SKIPPED(name, reason), fn);
  const each = ((table: readonly unknown[]) => (name: string, fn: (...args: never[]) => void) =>
    describe.skip.each(table)(SKIPPED(name, reason), fn as never)) as unknown as jest.Describe['each'];
  return Object.assign(skipped, { each });
}

/** `it` when `reason` is undefined, else a skipped test that carries the reason. */
export function itUnless(reason: string | undefined): (name: string, fn: jest.ProvidesCallback, timeout?: number) => void {
  return reason === undefined ? it : (name, fn, timeout) => it.skip(SKIPPED(name, reason), fn, timeout);
}

/** Why PostgreSQL suites cannot run here, or undefined when they can. */
export const POSTGRES_SKIP_REASON = process.env.CLIENT_CERT_TEST_POSTGRES_URL
  ? undefined
  : 'CLIENT_CERT_TEST_POSTGRES_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test; .ci/run sets it)';
