/**
 * Reads the repository's Dockerfile into the facts the deploy tests check: the stages, and of the last (runtime)
 * stage its environment, user, volume, exposed port, health check and start command. Only the exec (JSON) form
 * of CMD and HEALTHCHECK is accepted: a shell form would hide the command behind `sh -c`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface RuntimeStage {
  readonly from: string;
  readonly workdir: string | null;
  readonly user: string | null;
  readonly env: Readonly<Record<string, string>>;
  readonly volumes: readonly string[];
  readonly exposed: readonly number[];
  /** The COPY sources of the stage (`--from=…` copies listed by their destination). */
  readonly copies: readonly { from: string | null; src: readonly string[]; dest: string }[];
  readonly cmd: readonly string[];
  readonly healthcheck: readonly string[];
  readonly runs: readonly string[];
}

/** Instructions in order, continuation lines joined and comments dropped. */
export function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    const space = whole.search(/\s/);
    out.push({ keyword: whole.slice(0, space).toUpperCase(), args: whole.slice(space + 1).trim() });
  }
  return out;
}

function execForm(keyword: string, args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string'))
    throw new Error(`${keyword} must be in exec form (a JSON array of strings), got ${args}`);
  return parsed;
}

/** ENV a=b c="d e" (the form with `=`, the only one the Dockerfile may use). */
function envPairs(args: string): [string, string][] {
  const out: [string, string][] = [];
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g))
    out.push([m[1]!, m[3] ?? m[2]!]);
  if (out.length === 0) throw new Error(`ENV must use name=value, got ${args}`);
  return out;
}

/** The last stage of a Dockerfile: what the image runs. */
export function runtimeStage(text: string): RuntimeStage & { stages: number } {
  const all = instructions(text);
  const starts = all.flatMap((ins, i) => (ins.keyword === 'FROM' ? [i] : []));
  const own = all.slice(starts.at(-1));
  let workdir: string | null = null;
  let user: string | null = null;
  let cmd: string[] = [];
  let healthcheck: string[] = [];
  const env: Record<string, string> = {};
  const volumes: string[] = [];
  const exposed: number[] = [];
  const runs: string[] = [];
  const copies: RuntimeStage['copies'][number][] = [];
  for (const { keyword, args } of own.slice(1)) {
    if (keyword === 'WORKDIR') workdir = args;
    else if (keyword === 'USER') user = args;
    else if (keyword === 'ENV') for (const [k, v] of envPairs(args)) env[k] = v;
    else if (keyword === 'VOLUME') volumes.push(...execForm(keyword, args));
    else if (keyword === 'EXPOSE') exposed.push(...args.split(/\s+/).map((p) => Number(p.split('/')[0])));
    else if (keyword === 'CMD') cmd = execForm(keyword, args);
    else if (keyword === 'HEALTHCHECK') healthcheck = execForm(keyword, args.slice(args.indexOf('CMD') + 3));
    else if (keyword === 'RUN') runs.push(args);
    else if (keyword === 'COPY') {
      const parts = args.split(/\s+/);
      const from = parts[0]?.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : null;
      copies.push({ from, src: parts.slice(0, -1), dest: parts.at(-1)! });
    }
  }
  return {
    stages: starts.length,
    from: own[0]!.args,
    workdir,
    user,
    env,
    volumes,
    exposed,
    copies,
    cmd,
    healthcheck,
    runs,
  };
}

export const readDockerfile = (): string => readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

/**
 * The image's environment on this machine: every value under the image's volume is moved to `volumeDir`, so the
 * service writes where a test can look, exactly as a mounted volume would hold it.
 */
export function envOnVolume(stage: RuntimeStage, volumeDir: string): Record<string, string> {
  const [volume] = stage.volumes;
  if (!volume) throw new Error('the runtime stage declares no VOLUME');
  return Object.fromEntries(
    Object.entries(stage.env).map(([k, v]) => [
      k,
      v === volume || v.startsWith(`${volume}/`) ? volumeDir + v.slice(volume.length) : v,
    ]),
  );
}
