import { describe, expect, it } from 'vitest';
import { LANGUAGES, loadLanguage } from '../../widgets/src/catalogue.js';
import { MESSAGES, type Catalogue } from '../../widgets/src/messages.js';

const FILES: Record<Exclude<(typeof LANGUAGES)[number], 'en'>, () => Promise<{ default: Catalogue }>> = {
  de: () => import('../../widgets/src/locales/de.js'),
  es: () => import('../../widgets/src/locales/es.js'),
  fr: () => import('../../widgets/src/locales/fr.js'),
  it: () => import('../../widgets/src/locales/it.js'),
  'pt-BR': () => import('../../widgets/src/locales/pt-br.js'),
  id: () => import('../../widgets/src/locales/id.js'),
  hi: () => import('../../widgets/src/locales/hi.js'),
};

const slots = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const PLURAL = /_(zero|one|two|few|many|other)$/;

describe('widgets/src/locales', () => {
  it('ships every message in every language, with the same {slots}', async () => {
    for (const [lang, load] of Object.entries(FILES)) {
      const catalogue = (await load()).default;
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories as string[];
      for (const [key, english] of Object.entries(MESSAGES)) {
        const plural = PLURAL.exec(key);
        // A plural form the language does not have (Indonesian has no "one") is not needed.
        if (plural && !categories.includes(plural[1]!)) continue;
        const text = catalogue[key as keyof Catalogue];
        expect(text, `${lang}: ${key}`).toBeTypeOf('string');
        expect(slots(text!), `${lang}: ${key}`).toEqual(slots(english));
      }
      for (const key of Object.keys(catalogue)) expect(MESSAGES, `${lang}: ${key}`).toHaveProperty(key);
    }
  });

  it('loads each language through the catalogue loader', async () => {
    for (const lang of LANGUAGES) await expect(loadLanguage(lang)).resolves.toBeUndefined();
  });
});
