/**
 * Run the `aigc` CLI as a real child process: the bundle test/global-setup.ts builds from the
 * current sources into .cache/test-cli/ (the sources through tsx, cli/aigc.js, when it is missing).
 */
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { repo } from '../helpers.ts';

/** A finished CLI run. */
export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI entry the tests run. */
export const CLI = existsSync(repo('.cache', 'test-cli', 'aigc.js')) ? repo('.cache', 'test-cli', 'aigc.js') : repo('cli', 'aigc.js');

/**
 * Run `aigc ...args`, optionally with `input` on standard input, or piped into `head -n HEAD`
 * (then stdout ends with `status=N`, aigc's own exit status).
 */
export function aigc(
  args: string[],
  o: { env?: NodeJS.ProcessEnv; input?: string; head?: number; cwd?: string; node?: string[] } = {},
): Promise<Run> {
  const argv = [...(o.node ?? []), CLI, ...args];
  const env = { ...process.env, AIGC_TRUST: '', AIGC_DEBUG: '', ...o.env };
  const child = o.head
    ? spawn('bash', ['-c', `"$0" "$@" | head -n ${o.head}; echo "status=\${PIPESTATUS[0]}"`, process.execPath, ...argv], {
        cwd: o.cwd ?? repo(),
        env,
      })
    : spawn(process.execPath, argv, { cwd: o.cwd ?? repo(), env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(o.input ?? '');
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Parse JSON Lines output. */
export function jsonl(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
