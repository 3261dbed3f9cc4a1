import { describe, expect, it } from 'vitest';
import { minifyTemplates } from '../../../widgets/build/minify-templates.js';

describe('widgets/build/minify-templates', () => {
  it('collapses line breaks and indentation in html and css templates, nested ones included', () => {
    const src = [
      'const s = css`',
      '  .a {',
      '    color: red;',
      '  }',
      '`;',
      'const v = html`<p>',
      '    ${x ? html`<b>',
      '        ${y}',
      '      </b>` : nothing}',
      '  </p>`;',
    ].join('\n');
    expect(minifyTemplates(src)).toBe(
      [
        'const s = css` .a { color: red; } `;',
        'const v = html`<p> ${x ? html`<b> ${y} </b>` : nothing} </p>`;',
      ].join('\n'),
    );
  });

  it('leaves code, strings and other templates as they are', () => {
    const src = [
      'const a = `line one',
      '  line two`;',
      "const b = 'x';",
      'const c = sql`SELECT 1',
      '  FROM t`;',
      'function f() {',
      '  return 1;',
      '}',
    ].join('\n');
    expect(minifyTemplates(src)).toBe(src);
  });
});
