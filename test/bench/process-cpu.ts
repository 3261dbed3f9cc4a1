/**
 * CPU time of processes the benchmark started, read from /proc (Linux): user + system seconds of a process and,
 * for a server that forks one process per connection (Postgres), of its children too. Benchmarks divide it by
 * the wall time of a phase to show how many of the machine's cores each part used.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

interface Stat {
  readonly ppid: number;
  readonly ticks: number;
  /** CPU of its children that have exited (and were waited for). */
  readonly reaped: number;
}

function stat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields start after its closing one.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(f[1]),
      ticks: Number(f[11]) + Number(f[12]),
      reaped: Number(f[13]) + Number(f[14]),
    };
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by `pid` and, with `children`, by its child processes: the live ones and those that
 * exited (a connection closed during the phase still counts).
 */
export function cpuSeconds(pid: number, children = false): number {
  const own = stat(pid);
  let ticks = (own?.ticks ?? 0) + (children ? (own?.reaped ?? 0) : 0);
  if (children)
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const s = stat(Number(entry));
      if (s && s.ppid === pid) ticks += s.ticks;
    }
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds of this process, every thread (the load generator's worker included). */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
