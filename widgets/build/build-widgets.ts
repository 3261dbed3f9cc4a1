/**
 * `npm run build:widgets`: compiles the chart templates (Vega-Lite → Vega runtime, at build time), bundles the
 * elements with esbuild (ESM, minified, code splitting: Vega lands in a lazily imported chunk), and copies the
 * demo pages from widgets/public. Writes widgets/dist; returns esbuild's metafile (the bench reads it).
 */
import { build, type Plugin } from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { cloudflareHeadersFile, isCompressible } from '../../worker/http/asset-headers.js';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileChartTemplates } from './compile-templates.js';
import { minifyTemplatesPlugin } from './minify-templates.js';
import { assertTemplatesAvoid, stubUnusedVegaModules } from './unused-vega-modules.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');

/** Packages whose exports are Vega transforms, in lookup order; `operator` is built into the dataflow. */
const TRANSFORM_PACKAGES = ['vega-transforms', 'vega-view-transforms', 'vega-encode'] as const;

/** Source of the virtual module: registers only the transforms the templates use, and exports the templates. */
async function templatesModule(): Promise<string> {
  const { templates, operatorTypes } = compileChartTemplates();
  assertTemplatesAvoid(templates);
  const imports: string[] = [];
  const names: string[] = [];
  for (const pkg of TRANSFORM_PACKAGES) {
    const mod = (await import(pkg)) as Record<string, unknown>;
    const mine = operatorTypes.filter((t) => t in mod && !names.includes(t));
    if (mine.length) imports.push(`import { ${mine.join(', ')} } from '${pkg}';`);
    names.push(...mine);
  }
  const missing = operatorTypes.filter((t) => !names.includes(t) && t !== 'operator');
  if (missing.length) throw new Error(`no transform package exports: ${missing.join(', ')}`);
  return [
    `import { transforms } from 'vega-dataflow';`,
    ...imports,
    `Object.assign(transforms, { ${names.join(', ')} });`,
    `export const templates = ${JSON.stringify(templates)};`,
  ].join('\n');
}

function templatesPlugin(): Plugin {
  return {
    name: 'chart-templates',
    setup(b) {
      b.onResolve({ filter: /^virtual:chart-templates$/ }, () => ({
        path: 'chart-templates',
        namespace: 'ci',
      }));
      b.onLoad({ filter: /.*/, namespace: 'ci' }, async () => ({
        contents: await templatesModule(),
        loader: 'js',
        resolveDir: ROOT,
      }));
    },
  };
}

/** Builds widgets/dist; returns esbuild's metafile. */
export async function buildWidgets(opts: { quiet?: boolean } = {}) {
  await rm(DIST, { recursive: true, force: true });
  await mkdir(DIST, { recursive: true });
  const result = await build({
    entryPoints: { widgets: join(ROOT, 'src/widgets.ts') },
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: opts.quiet ? 'error' : 'warning',
    plugins: [templatesPlugin(), stubUnusedVegaModules(), minifyTemplatesPlugin()],
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  });
  await cp(join(ROOT, 'public'), DIST, { recursive: true });
  await precompress(DIST);
  // Cloudflare's static assets: the same headers as the Node server, and no precompressed copies uploaded.
  await writeFile(join(DIST, '_headers'), cloudflareHeadersFile());
  await writeFile(join(DIST, '.assetsignore'), '*.br\n*.gz\n');
  return result.metafile;
}

/** Writes `.br` (quality 11) and `.gz` (level 9) beside every text file, so the server never compresses. */
async function precompress(dir: string): Promise<void> {
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  const files = (await readdir(dir, { recursive: true })).filter((f) => isCompressible(f));
  await Promise.all(
    files.map(async (f) => {
      const raw = await readFile(join(dir, f));
      await writeFile(
        join(dir, `${f}.br`),
        await br(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      );
      await writeFile(join(dir, `${f}.gz`), await gz(raw, { level: 9 }));
    }),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const meta = await buildWidgets();
  for (const [file, out] of Object.entries(meta.outputs)) {
    if (file.endsWith('.js')) console.log(`${file.replace(/^.*widgets\/dist\//, 'dist/')}  ${out.bytes} B`);
  }
}
