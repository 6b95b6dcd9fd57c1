import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './admin-program.js';

/** Every command below `command`, with its path (`sigil company create`). */
function walk(command: Command, path = command.name()): Array<{ path: string; command: Command }> {
  return command.commands.flatMap((sub) => {
    const subPath = `${path} ${sub.name()}`;
    return [{ path: subPath, command: sub }, ...walk(sub, subPath)];
  });
}

const OBJECTS = ['company', 'user', 'token', 'consumer-key', 'brand', 'product', 'substrate', 'equipment', 'calibration', 'layout', 'template'];

describe('the sigil command tree', () => {
  const program = buildProgram();
  const all = walk(program);

  it('describes every command, option and argument', () => {
    expect(all.length).toBeGreaterThan(40);
    for (const { path, command } of all) {
      expect(command.description(), path).not.toBe('');
      for (const option of command.options) expect(option.description, `${path} ${option.flags}`).not.toBe('');
      for (const argument of command.registeredArguments) expect(argument.description, `${path} <${argument.name()}>`).not.toBe('');
    }
  });

  it('has create, list and show for every object the CLI creates', () => {
    for (const name of OBJECTS) {
      const group = program.commands.find((c) => c.name() === name);
      expect(group?.commands.map((c) => c.name()), name).toEqual(expect.arrayContaining(['create', 'list', 'show']));
    }
  });

  it('marks required options in help, and only those', () => {
    const create = program.commands.find((c) => c.name() === 'calibration')!.commands.find((c) => c.name() === 'create')!;
    const help = create.helpInformation();
    for (const flag of ['--equipment <id>', '--substrate <id>', '--cell-size-dots <n>', '--black-density <d>']) {
      expect(help).toMatch(new RegExp(`${flag}\\s+\\S.*\\(required\\)`));
    }
    const company = program.commands.find((c) => c.name() === 'company')!.commands.find((c) => c.name() === 'create')!.helpInformation();
    expect(company).toMatch(/--name <name>\s+display name \(required\)/);
    expect(company).not.toMatch(/--slug <slug>.*\(required\)/);
  });
});
