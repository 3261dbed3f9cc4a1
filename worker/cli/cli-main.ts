/**
 * The frame of every command-line entry: options read with node:util's parseArgs, the entry's answer as the
 * process exit code (0 done, 1 failed, 2 bad arguments), and bad arguments told the same way on stderr, what
 * is wrong first and the usage line last.
 */
import { parseArgs } from 'node:util';

type StringOptions<K extends string> = { [P in K]: { type: 'string' } };

/** The options of the command, all strings unless a flag is named in `flags` (boolean, false when absent). */
export function readOptions<const K extends string, const F extends string = never>(
  strings: readonly K[],
  flags: readonly F[] = [],
) {
  const options = {
    ...(Object.fromEntries(strings.map((k) => [k, { type: 'string' }])) as StringOptions<K>),
    ...(Object.fromEntries(flags.map((k) => [k, { type: 'boolean', default: false }])) as {
      [P in F]: { type: 'boolean'; default: false };
    }),
  };
  return parseArgs({ options }).values;
}

/** Bad arguments: each problem, then the usage line, on stderr; the exit code to answer. */
export function badArguments(usage: string, problems: readonly string[] = []): 2 {
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.stderr.write(`usage: ${usage}\n`);
  return 2;
}

/** Runs the entry and makes its answer the exit code (a throw still fails the process with its stack). */
export async function runCli(main: () => Promise<number>): Promise<void> {
  process.exitCode = await main();
}
