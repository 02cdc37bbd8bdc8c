import { readFileSync } from 'node:fs';
import { UsageError, readStdin } from './cli.io';

/** An HTTP field name (RFC 9110 token), a colon, the value. */
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;

export interface InspectInputFlags {
  header: string[];
  value?: string;
  valueFile?: string;
}

/**
 * The request's header lines: explicit `--header` lines; or a value (`--value`, `--value-file`,
 * stdin) that is either whole `Name: value` lines (the sample's `data/dev-pki/*.header`, what
 * `curl -H @file` sends) or a bare value, placed under the header the profile reads.
 */
export async function readHeaderLines(flags: InspectInputFlags, certificateHeader: string): Promise<Array<[string, string]>> {
  if (flags.header.length > 0) {
    return flags.header.map((line) => {
      const pair = headerLine(line.trim());
      if (!pair) throw new UsageError(`--header '${line}' is not 'Name: value'`);
      return pair;
    });
  }
  const text = flags.value ?? (flags.valueFile ? readValueFile(flags.valueFile) : process.stdin.isTTY ? undefined : await readStdin());
  if (text === undefined) throw new UsageError('give the header value with --value, --value-file, stdin or --header');
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const pairs = lines.map((line) => headerLine(line.trim()));
  if (lines.length > 0 && pairs.every((pair) => pair !== undefined)) return pairs as Array<[string, string]>;
  if (pairs.some((pair) => pair !== undefined) && lines.length > 1) {
    throw new UsageError("the input mixes 'Name: value' lines with other lines: give whole header lines, or the bare value");
  }
  return [[certificateHeader, text.replace(/\r?\n$/, '')]];
}

function headerLine(line: string): [string, string] | undefined {
  const match = HEADER_LINE.exec(line);
  return match ? [match[1], match[2]] : undefined;
}

function readValueFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
