import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_PRESETS, compiledHeaderNames, presetHeaderNames, presetHeaderRow } from './support/preset-headers.table';
import { PROXY_ENTRIES } from './support/proxy-entries.table';

/**
 * docs/PROXIES.md must show every line the interop tests run, verbatim: the recipes readers copy
 * are the ones proven against the real proxies in proxies.e2e-spec.ts.
 */
describe('docs/PROXIES.md', () => {
  const doc = readFileSync(join(__dirname, '../../docs/PROXIES.md'), 'utf8');
  const short = (line: string) => (line.length > 90 ? `${line.slice(0, 87)}...` : line);
  const recipes = [...new Set(PROXY_ENTRIES.map((entry) => entry.recipe))];
  const lines = recipes.flatMap((recipe) => [...(recipe.outerLines ?? []), ...recipe.lines].map((line) => [recipe.id, short(line), line] as const));

  it.each(lines)('shows the tested %s line verbatim: %s', (_id, _short, line) => {
    expect(doc).toContain(line);
  });
});

/**
 * Rule 3 of docs/PROXIES.md: the header names a proxy sets or strips and the names its preset
 * reads must be the same. The doc's table must list, for every preset, every header the module
 * reads (a name missing there is one an operator would not strip).
 */
describe('docs/PROXIES.md "Headers each preset reads"', () => {
  const doc = readFileSync(join(__dirname, '../../docs/PROXIES.md'), 'utf8');
  const presets = ALL_PRESETS.map((preset) => [preset.name, preset] as const);

  it.each(presets)('lists every header the %s preset reads', (_name, preset) => {
    expect(doc).toContain(presetHeaderRow(preset));
  });

  it.each(presets)('the listed names of %s are exactly those the compiled profile reads', (_name, preset) => {
    const listed = presetHeaderNames(preset).map((name) => name.toLowerCase());
    expect(new Set(listed)).toEqual(new Set(compiledHeaderNames(preset)));
  });
});
