/**
 * The real service (worker/node.ts) as a child process on a loopback port, for crash and soak runs: started with
 * its own DuckDB file and temp folder, stopped by SIGTERM (clean) or SIGKILL (a crash), only ever by its pid,
 * and killed when the process that started it exits first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const SERVER_ADMIN = 'crash-admin-token-0123456789abcdef';
export const SERVER_SIGNING_SECRET = 'crash-signing-secret-0123456789abcdef0123456789';

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything the server wrote to stderr (its JSON log lines). */
  readonly stderr: () => string;
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export function startServer(opts: {
  dbPath: string;
  tempDir: string;
  env?: Record<string, string>;
  /** Extra Node options before the entry, e.g. another `--import` for a fault injected by a test. */
  nodeArgs?: readonly string[];
}): Promise<ServerProcess> {
  const root = join(import.meta.dirname, '..', '..');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ...(opts.nodeArgs ?? []), join(root, 'worker', 'node.ts')],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        DB_PATH: opts.dbPath,
        TEMP_DIR: opts.tempDir,
        DEMO_DATA: 'false',
        ADMIN_TOKEN: SERVER_ADMIN,
        SIGNING_SECRET: SERVER_SIGNING_SECRET,
        LOG_LEVEL: 'info',
        ...opts.env,
      },
    },
  );
  let err = '';
  // A run that exits (or is interrupted) without stopping its server still takes the server with it.
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      process.removeListener('exit', onExit);
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${err}`));
    }, 120_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /"msg":"listening".*?"url":"http:\/\/localhost:(\d+)"/.exec(err);
      if (m && child.pid) {
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          pid: child.pid,
          child,
          stderr: () => err,
          async stop(signal) {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            await exited;
          },
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${err}`));
    });
  });
}
