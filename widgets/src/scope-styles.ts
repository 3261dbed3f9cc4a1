/** Styles of the scope line, the currency switcher and the partial-month note (see scope-picker.ts). */
import { css } from 'lit';

export const scopeStyles = css`
  .scope {
    margin: -4px 0 8px;
    font-size: 0.95em;
  }
  .legend-note {
    display: flex;
    gap: 6px;
    align-items: center;
    margin: 4px 0;
    font-size: 0.9em;
  }
  /* The partial month's bar in small: lighter fill, dashed outline. */
  .swatch-partial {
    flex: 0 0 auto;
    width: 12px;
    height: 12px;
    border: 1.5px dashed var(--ci-color-actual, #1f5fbf);
    background: color-mix(in srgb, var(--ci-color-actual, #1f5fbf) 35%, transparent);
  }
`;
