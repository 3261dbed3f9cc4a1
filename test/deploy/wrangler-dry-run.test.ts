/**
 * `wrangler deploy --dry-run` on wrangler.toml, offline: no metrics, no account, and every proxy variable pointed
 * at a closed loopback port so that any network call fails instead of leaving the machine. The bundle must exist
 * and hold only the edge entry and what it imports: no DuckDB, no package, no Node built-in.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './dockerfile.js';

const run = promisify(execFile);
const NOWHERE = 'http://127.0.0.1:9';

interface Metafile {
  inputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
  outputs: Record<
    string,
    { imports: { path: string; external?: boolean }[]; inputs: Record<string, unknown> }
  >;
}

describe('wrangler deploy --dry-run', () => {
  let out: string;
  let log = '';
  let meta: Metafile;
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'widgets/dist/widgets.js')))
      throw new Error('run npm run build:widgets first');
    out = await mkdtemp(join(tmpdir(), 'wrangler-dry-run-'));
    const r = await run(
      process.execPath,
      [
        join(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
        'deploy',
        '--dry-run',
        '--outdir',
        join(out, 'bundle'),
        '--metafile',
        join(out, 'meta.json'),
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: out,
          XDG_CONFIG_HOME: join(out, 'config'),
          WRANGLER_LOG_PATH: join(out, 'logs'),
          WRANGLER_SEND_METRICS: 'false',
          CI: 'true',
          HTTP_PROXY: NOWHERE,
          HTTPS_PROXY: NOWHERE,
          http_proxy: NOWHERE,
          https_proxy: NOWHERE,
        },
      },
    );
    log = r.stdout + r.stderr;
    meta = JSON.parse(await readFile(join(out, 'meta.json'), 'utf8')) as Metafile;
  }, 120_000);
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('bundles the edge entry without uploading anything', async () => {
    expect(log).toContain('--dry-run: exiting now.');
    const bundle = await readFile(join(out, 'bundle', 'cloudflare.js'), 'utf8');
    expect(bundle).toContain('X-Forwarded-Host');
    expect(bundle).toContain('API_ORIGIN');
    // The service as Cloudflare Containers behind the Durable Object class the bundle exports.
    expect(bundle).toMatch(/export\s*\{[^}]*ConvoInsightsService/);
    expect(log).toMatch(/env\.SERVICE \(ConvoInsightsService\)\s+Durable Object/);
    expect(log).toContain('(registry.cloudflare.com/convo-insights:');
  });

  it('holds only project files of the edge, never DuckDB or a Node-only module', () => {
    const inputs = Object.keys(meta.inputs);
    expect(inputs).toContain('worker/cloudflare.ts');
    expect(inputs.filter((f) => !f.startsWith('worker/') || f.startsWith('worker/db/'))).toEqual([]);
    const imports = Object.values(meta.inputs).flatMap((i) => i.imports.map((m) => m.path));
    expect(imports.filter((p) => /duckdb|^node:|node-server/.test(p))).toEqual([]);
    const external = Object.values(meta.outputs).flatMap((o) => o.imports.filter((m) => m.external));
    expect(external).toEqual([]);
  });
});
