/**
 * WCAG 2 contrast of rendered text, measured in the page: the text's computed colour against the first opaque
 * background found walking up from it (through shadow roots to their hosts), the page's white at the end.
 */
import type { Locator } from 'playwright-core';

export interface MeasuredContrast {
  readonly text: string;
  readonly color: string;
  readonly background: string;
  readonly ratio: number;
}

export function textContrast(target: Locator): Promise<MeasuredContrast> {
  return target.evaluate((el: Element) => {
    const rgba = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgba(c)
        .slice(0, 3)
        .map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    let background = 'rgb(255, 255, 255)';
    for (let n: Element | null = el; n;) {
      const bg = getComputedStyle(n).backgroundColor;
      const alpha = rgba(bg)[3];
      if (bg && bg !== 'transparent' && (alpha === undefined || alpha === 1)) {
        background = bg;
        break;
      }
      const parent: Element | null = n.parentElement;
      n = parent ?? ((n.getRootNode() as ShadowRoot).host || null);
    }
    const color = getComputedStyle(el).color;
    const [hi, lo] = [lum(color), lum(background)].sort((a, b) => b - a);
    return {
      text: (el.textContent ?? '').trim(),
      color,
      background,
      ratio: (hi! + 0.05) / (lo! + 0.05),
    };
  });
}
