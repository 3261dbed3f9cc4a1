/**
 * The Dockerfile against the project it packages (no image is built here): the start command is a real file run
 * by a runtime dependency, every package the service imports ships with `npm ci --omit=dev`, every source file it
 * loads is copied, every variable it sets is one normalizeConfig reads, the exposed port is the default port, the
 * health check asks a mounted route, and the money data lands on the declared volume.
 */
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { namesRead } from './config-names.js';
import { readDockerfile, ROOT, runtimeStage, type RuntimeStage } from './dockerfile.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** Source files and bare packages the service's entry loads, from esbuild's view of its module graph. */
async function moduleGraph(entry: string): Promise<{ files: string[]; packages: Set<string> }> {
  const out = await build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    write: false,
    metafile: true,
    outdir: join(ROOT, '.dockerfile-check'),
    logLevel: 'silent',
  });
  const inputs = Object.values(out.metafile.inputs);
  const packages = new Set(
    inputs.flatMap((i) =>
      i.imports.filter((m) => m.external && !m.path.startsWith('node:')).map((m) => m.path),
    ),
  );
  return { files: Object.keys(out.metafile.inputs), packages: new Set([...packages].map(packageOf)) };
}

describe('Dockerfile', () => {
  let stage: RuntimeStage & { stages: number };
  let h: Harness;
  beforeAll(async () => {
    stage = runtimeStage(readDockerfile());
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('builds in two stages and runs Node 20 slim as a user other than root', () => {
    expect(stage.stages).toBe(2);
    expect(stage.from).toMatch(/^node:20(\.\d+)*-slim$/);
    expect(stage.user).not.toBeNull();
    expect(['root', '0']).not.toContain(stage.user);
    expect(stage.runs.some((r) => r.includes('npm ci --omit=dev'))).toBe(true);
  });

  it('starts a file of the project through a loader that ships without dev dependencies', () => {
    expect(stage.cmd[0]).toBe('node');
    const loaders = stage.cmd.flatMap((a, i) => (stage.cmd[i - 1] === '--import' ? [a] : []));
    for (const loader of loaders) {
      expect(pkg.dependencies, `${loader} must be a runtime dependency`).toHaveProperty(loader);
      expect(existsSync(join(ROOT, 'node_modules', loader))).toBe(true);
    }
    const entry = stage.cmd.at(-1)!;
    expect(existsSync(join(ROOT, entry)), entry).toBe(true);
  });

  it('ships every package and source file the service loads', async () => {
    const graph = await moduleGraph(stage.cmd.at(-1)!);
    expect(graph.packages).toContain('@duckdb/node-api');
    const missing = [...graph.packages].filter((p) => !(p in pkg.dependencies));
    expect(missing, 'imported at run time but not in dependencies').toEqual([]);
    const copied = stage.copies.filter((c) => c.from === null).flatMap((c) => c.src);
    const uncopied = graph.files.filter((f) => !copied.some((src) => f === src || f.startsWith(`${src}/`)));
    expect(uncopied, 'loaded by the service but not copied into the image').toEqual([]);
    // The migrations are read from beside the store at run time, not imported.
    expect(copied).toContain('worker');
    expect(existsSync(join(ROOT, 'worker/db/migrations'))).toBe(true);
  });

  it('sets only variables normalizeConfig reads, and puts the data on the volume', () => {
    const read = namesRead(stage.env);
    const own = Object.keys(stage.env).filter((k) => k !== 'NODE_ENV');
    expect(own.filter((k) => !read.has(k))).toEqual([]);
    const config = normalizeConfig(stage.env);
    const [volume] = stage.volumes;
    expect(volume).toBeDefined();
    for (const path of [config.dbPath, config.ingestLakeDir, config.lakeDir, config.intake.dir])
      expect(path?.startsWith(`${volume}/`), String(path)).toBe(true);
    // The widgets the build stage wrote are where the service looks for them.
    const widgets = stage.copies.find((c) => c.from === 'build');
    expect(posix.resolve(stage.workdir ?? '/', config.widgetsDir)).toBe(
      posix.resolve(stage.workdir ?? '/', widgets!.dest),
    );
  });

  it('exposes the default port', () => {
    const { port } = normalizeConfig({});
    expect(stage.exposed).toEqual([port]);
    expect(normalizeConfig(stage.env).port).toBe(port);
  });

  it('checks health on a mounted route that answers without a token', async () => {
    const script = stage.healthcheck.join(' ');
    const path = /\/v1\/[a-z-]+/.exec(script)?.[0];
    expect(path).toBe('/v1/health');
    expect(h.app.routes.some((r) => r.method === 'GET' && r.path === path)).toBe(true);
    const res = await h.json('GET', path!);
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('keeps local stores, dependencies and the git history out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', '.data', '*.duckdb']));
    const copied = stage.copies.filter((c) => c.from === null).flatMap((c) => c.src);
    expect(copied.filter((src) => ignored.includes(src))).toEqual([]);
  });
});
