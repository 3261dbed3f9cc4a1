import { describe, expect, it } from 'vitest';
import { fillPalette, resolveColor } from '../../../widgets/src/specs/chart-palette.js';

describe('widgets/src/specs/chart-palette', () => {
  it('replaces placeholders in values and inside generated code strings', () => {
    const t = { a: '@ci:paid', b: ['@ci:free'], code: '{"fill": "@ci:paid"}', other: '@ci:none' };
    expect(fillPalette(t, { paid: '#112233', free: 'rgb(1, 2, 3)' })).toEqual({
      a: '#112233',
      b: ['rgb(1, 2, 3)'],
      code: '{"fill": "#112233"}',
      other: '@ci:none',
    });
  });

  it('accepts plain colour syntax only, so a theme value cannot inject expression code', () => {
    expect(resolveColor(' #0b6e4f ', '#000')).toBe('#0b6e4f');
    expect(resolveColor('hsl(10, 50%, 40%)', '#000')).toBe('hsl(10, 50%, 40%)');
    expect(resolveColor('red"+alert(1)+"', '#000')).toBe('#000');
    expect(resolveColor('', '#000')).toBe('#000');
  });
});

describe('widgets/src/specs/chart-palette texts', () => {
  it('fills text placeholders with JSON-safe text and leaves unknown ones', () => {
    const t = { title: '@ct:chargesAxis', code: "datum.kind === '@ct:free'", x: '@ct:none' };
    expect(fillPalette(t, {}, { chargesAxis: 'Kosten in EUR', free: 'Gratuit’' })).toEqual({
      title: 'Kosten in EUR',
      code: "datum.kind === 'Gratuit’'",
      x: '@ct:none',
    });
  });
});
