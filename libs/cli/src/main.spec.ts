import { Command } from 'commander';
import { registerRegistryCommands } from '@client-cert-auth/registry';
import { COMMAND_SUMMARIES } from './command.summaries';
import { registerInspectCommand } from './inspect.command';

describe('client-cert-auth command summaries', () => {
  it('name exactly the top-level commands that the implementations register', () => {
    const program = new Command('client-cert-auth');
    registerInspectCommand(program, () => undefined);
    registerRegistryCommands(program);
    const registered = program.commands.map((c) => c.name()).sort();
    expect(Object.keys(COMMAND_SUMMARIES).sort()).toEqual(registered);
  });

  it('route each command to the module that registers it', () => {
    const inspectOnly = new Command();
    registerInspectCommand(inspectOnly, () => undefined);
    const inspectNames = inspectOnly.commands.map((c) => c.name());
    for (const [name, summary] of Object.entries(COMMAND_SUMMARIES)) {
      expect([name, summary.family]).toEqual([name, inspectNames.includes(name) ? 'inspect' : 'registry']);
    }
  });
});
