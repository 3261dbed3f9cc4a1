/**
 * The embedding guide as a stranger reads it: the page the service serves at /embedding.html, its snippets
 * (each `<pre data-snippet="name">`) with HTML entities decoded, and the placeholders table with the value its
 * demo column gives for each placeholder.
 */
export interface EmbeddingGuide {
  readonly html: string;
  /** The text of one snippet, exactly as a reader would copy it. */
  snippet(name: string): string;
  /** The demo column's value(s) for a placeholder, in order (`PN_1, PN_2` share a row). */
  demoValue(placeholder: string): string;
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

const codes = (cell: string) => [...cell.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => decode(m[1]!));

export async function readEmbeddingGuide(serviceUrl: string): Promise<EmbeddingGuide> {
  const res = await fetch(`${serviceUrl}/embedding.html`);
  if (!res.ok) throw new Error(`${serviceUrl}/embedding.html answered ${res.status}`);
  const html = await res.text();
  const table = /<h2 id="placeholders">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  const demo = new Map<string, string>();
  for (const row of table.matchAll(
    /<tr>\s*<td>([\s\S]*?)<\/td>\s*<td>[\s\S]*?<\/td>\s*<td>([\s\S]*?)<\/td>/g,
  )) {
    const names = codes(row[1]!);
    const values = codes(row[2]!);
    names.forEach((n, i) => demo.set(n, values[i] ?? values[0] ?? ''));
  }
  return {
    html,
    snippet(name) {
      const m = new RegExp(`<pre data-snippet="${name}"><code>([\\s\\S]*?)</code></pre>`).exec(html);
      if (!m) throw new Error(`the embedding guide has no snippet "${name}"`);
      return decode(m[1]!);
    },
    demoValue(placeholder) {
      const v = demo.get(placeholder);
      if (v === undefined) throw new Error(`the guide's placeholders table does not list ${placeholder}`);
      return v;
    },
  };
}
