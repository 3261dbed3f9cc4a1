/**
 * Build-time whitespace trim of the elements' `html` and `css` templates: esbuild minifies code but keeps
 * template text as written, so every line break and indentation of a template would ship to every page. A line
 * break with the indentation after it becomes one space, which renders the same (HTML and CSS collapse
 * whitespace; no widget template is whitespace-sensitive: no <pre>, no <textarea>, no `white-space: pre`).
 * The templates are found with the TypeScript parser, so code, strings and nested expressions stay untouched.
 */
import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

const TAGS = new Set(['html', 'css']);

/** The source with the static text of every html`…` and css`…` template collapsed. */
export function minifyTemplates(source: string, fileName = 'file.ts'): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  const collapse = (node: ts.Node, openLength: number, closeLength: number) => {
    const start = node.getStart(file) + openLength;
    const end = node.getEnd() - closeLength;
    const raw = source.slice(start, end);
    const text = raw.replace(/\n\s*/g, ' ');
    if (text !== raw) edits.push({ start, end, text });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && TAGS.has(node.tag.text)) {
      const t = node.template;
      if (ts.isNoSubstitutionTemplateLiteral(t)) collapse(t, 1, 1);
      else {
        collapse(t.head, 1, 2); // `…${
        for (const span of t.templateSpans) {
          const last = ts.isTemplateTail(span.literal);
          collapse(span.literal, 1, last ? 1 : 2); // }…${ or }…`
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The esbuild plugin: trims the templates of the widgets' own sources (widgets/src). */
export function minifyTemplatesPlugin(): Plugin {
  return {
    name: 'minify-templates',
    setup(b) {
      b.onLoad({ filter: /[\\/]widgets[\\/]src[\\/].*\.ts$/ }, async (args) => ({
        contents: minifyTemplates(await readFile(args.path, 'utf8'), args.path),
        loader: 'ts',
      }));
    },
  };
}
