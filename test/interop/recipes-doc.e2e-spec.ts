import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROXY_ENTRIES } from './support/proxy-entries.table';

/**
 * docs/PROXIES.md must show every line the interop tests run, verbatim: the recipes readers copy
 * are the ones proven against the real proxies in proxies.e2e-spec.ts.
 */
describe('docs/PROXIES.md', () => {
  const doc = readFileSync(join(__dirname, '../../docs/PROXIES.md'), 'utf8');
  const short = (line: string) => (line.length > 90 ? `${line.slice(0, 87)}...` : line);
  const recipes = [...new Set(PROXY_ENTRIES.map((entry) => entry.recipe))];
  const lines = recipes.flatMap((recipe) =>
    [...(recipe.outerLines ?? []), ...recipe.lines].map((line) => [recipe.id, short(line), line] as const),
  );

  it.each(lines)('shows the tested %s line verbatim: %s', (_id, _short, line) => {
    expect(doc).toContain(line);
  });
});
