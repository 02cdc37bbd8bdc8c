/**
 * Jest reporter: at the end of the run, lists every skipped test file or test with the reason in
 * its title (`[skipped: …]`, see skip-unless.ts), grouped by reason, so "N skipped" is never silent.
 */
'use strict';
const { relative } = require('node:path');

const REASON = /\[skipped: ([^\]]+)\]/;

class SkippedTestsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const byReason = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending' && test.status !== 'skipped' && test.status !== 'todo') continue;
        const titles = [...test.ancestorTitles, test.title].join(' ');
        const reason = REASON.exec(titles)?.[1] ?? 'no reason given in the title';
        const where = relative(this.rootDir, file.testFilePath);
        const entry = byReason.get(reason) ?? new Map();
        entry.set(where, (entry.get(where) ?? 0) + 1);
        byReason.set(reason, entry);
      }
    }
    if (byReason.size === 0) return;
    const lines = ['', 'Skipped tests, by reason:'];
    for (const [reason, files] of byReason) {
      lines.push(`  ${reason}`);
      for (const [file, count] of files) lines.push(`    ${file} (${count})`);
    }
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}

module.exports = SkippedTestsReporter;
