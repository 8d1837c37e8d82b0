import type { Command, Option } from 'commander';

/**
 * Checks one `mailwright …` command line against the real command tree without running it:
 * each word before the first argument names a subcommand, each `--flag` is an option of that
 * command or an ancestor, a value follows a flag that takes one (and passes the flag's own
 * parser), and the arguments fit the command's. Returns the problems, empty when it would parse.
 */
export function cliLineProblems(program: Command, argv: string[]): string[] {
  const problems: string[] = [];
  let command = program;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word.startsWith('-')) {
      const [flag = '', inline] = word.split(/=(.*)/s, 2);
      const option = findOption(command, flag);
      if (!option) {
        problems.push(`${commandPath(command)} has no option ${flag}`);
        continue;
      }
      if (!option.required && !option.optional) continue;
      const value = inline ?? argv[++i];
      if (value === undefined) {
        problems.push(`${commandPath(command)} ${flag} needs a value`);
        continue;
      }
      try {
        option.parseArg?.(value, undefined);
      } catch (error) {
        problems.push(`${commandPath(command)} ${flag} ${value}: ${(error as Error).message}`);
      }
      continue;
    }
    const sub =
      args.length === 0
        ? command.commands.find((c) => c.name() === word || c.aliases().includes(word))
        : undefined;
    if (sub) command = sub;
    else if (command.commands.length > 0 && args.length === 0)
      problems.push(`${commandPath(command)} has no subcommand ${word}`);
    else args.push(word);
  }
  if (command.commands.length > 0) problems.push(`${commandPath(command)} needs a subcommand`);
  const declared = command.registeredArguments;
  const required = declared.filter((a) => a.required).length;
  const variadic = declared.some((a) => a.variadic);
  if (args.length < required || (!variadic && args.length > declared.length)) {
    problems.push(
      `${commandPath(command)} takes ${required}–${variadic ? '∞' : declared.length} arguments, got ${args.length}`,
    );
  }
  return problems;
}

function findOption(command: Command, flag: string): Option | undefined {
  for (let c: Command | null = command; c; c = c.parent) {
    const option = c.options.find((o) => o.long === flag || o.short === flag);
    if (option) return option;
  }
  return undefined;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
