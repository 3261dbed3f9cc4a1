/**
 * Whether a process id belongs to a running process, for files that name their owner by pid (a store folder's
 * lock, a process's temp folder): a file whose process no longer runs was left by a killed one.
 */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs under another user (so it is not ours to take over or clean either).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
