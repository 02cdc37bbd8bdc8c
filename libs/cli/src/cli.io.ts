/** A mistake in how the command was called: exit code 2, with a message that says what to give. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
