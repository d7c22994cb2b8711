import { BENCH_TASKS } from '@polyinfer/bench-core';
import { runCli } from '@polyinfer/cli';
import { IMAGE_TASK_NAMES } from '@polyinfer/models';
import { SERVED_TASKS } from '@polyinfer/server';

/** The subcommands `polyinfer --help` lists. */
async function cliCommands(): Promise<string[]> {
  let help = '';
  await runCli(['--help'], { out: (s) => (help += s), err: (s) => (help += s) });
  const section = help.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!);
}

/**
 * Every task and where it can be used, read from the tables that wire it: the models' task list (worker threads and
 * Web Workers are typed by it), the server's `SERVED_TASKS`, the benchmark's `BENCH_TASKS` and the CLI's commands.
 */
export async function tasksTable(): Promise<string> {
  const commands = await cliCommands();
  const tasks = [...new Set<string>([...IMAGE_TASK_NAMES, ...Object.keys(SERVED_TASKS), ...Object.keys(BENCH_TASKS)])];
  const yes = (v: boolean, text: string): string => (v ? text : '—');
  const rows = tasks.map((task) => {
    const served = SERVED_TASKS[task];
    const serveSpec = served?.bundledModel ? `\`--model NAME=${task}\`` : `\`--model NAME=${task}:m.onnx\``;
    return [
      `\`${task}\``,
      served?.describe ?? '',
      yes(commands.includes(task), `\`polyinfer ${task}\``),
      yes((IMAGE_TASK_NAMES as readonly string[]).includes(task), '✓'),
      yes(served !== undefined, `\`polyinfer serve\` ${serveSpec}`),
      yes(
        Object.hasOwn(BENCH_TASKS, task),
        BENCH_TASKS[task]?.needsModel
          ? `\`polyinfer bench --task ${task} --model m.onnx\``
          : '`polyinfer bench` (its bundled models are in the model set)',
      ),
    ];
  });
  return [
    '| task | what | command line | worker threads, Web Workers | served | benchmarked |',
    '|---|---|---|---|---|---|',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}
