/**
 * Styles shared by every widget. Theming: CSS custom properties (--ci-*) on the element or any ancestor, and
 * ::part() for the card, heading, controls, table, buttons and states.
 */
import { css } from 'lit';

/** The dark preset's custom properties, used by theme="dark" and by theme="auto" on a dark system. */
const darkPalette = css`
  --ci-color-text: #e6e9ef;
  --ci-color-muted: #b4bccb;
  --ci-color-surface: #161b26;
  --ci-color-border: #374151;
  --ci-color-border-strong: #8b95a7;
  --ci-color-accent: #8ab4ff;
  --ci-color-on-accent: #0b1220;
  --ci-color-focus: #8ab4ff;
  --ci-color-link: #8ab4ff;
  --ci-color-error: #ff9b9b;
  --ci-color-error-text: #ffd0d3;
  --ci-color-error-surface: #3b1d23;
  --ci-color-warning: #f2a65a;
  --ci-color-badge: #3a2a1c;
  --ci-color-badge-text: #ffcfa8;
  --ci-color-grid: #3b4456;
  --ci-color-free: #5fcf8f;
  --ci-color-paid: #8ab4ff;
  --ci-color-actual: #8ab4ff;
  --ci-color-forecast: #f2a65a;
  --ci-color-cat-0: #8ab4ff;
  --ci-color-cat-1: #f2a65a;
  --ci-color-cat-2: #5fcf8f;
  --ci-color-cat-3: #c49bf0;
  --ci-color-cat-4: #f28ba0;
  --ci-color-cat-5: #5ccfd9;
  --ci-color-cat-6: #d4d46a;
  --ci-color-cat-7: #aab2bf;
  --ci-shadow: none;
  color-scheme: dark;
`;

export const sharedStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    font-family: var(--ci-font-family, system-ui, -apple-system, 'Segoe UI', sans-serif);
    font-size: var(--ci-font-size, 14px);
    color: var(--ci-color-text, #1d2330);
  }
  :host([hidden]) {
    display: none;
  }
  /* The dark preset: theme="dark", or theme="auto" when the system prefers dark. Custom properties set on
     the element by the page still win over these. */
  :host([theme='dark']) {
    ${darkPalette}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${darkPalette}
    }
  }
  .card {
    background: var(--ci-color-surface, #ffffff);
    border: 1px solid var(--ci-color-border, #d8dde6);
    border-radius: var(--ci-radius, 10px);
    padding: var(--ci-padding, 16px);
    box-shadow: var(--ci-shadow, 0 1px 2px rgb(16 24 40 / 6%));
  }
  header {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 16px;
    align-items: center;
    justify-content: space-between;
    margin-bottom: 12px;
  }
  h2 {
    font-size: 1.1em;
    margin: 0;
    font-weight: 600;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  .muted {
    color: var(--ci-color-muted, #4b5563);
  }
  .notice {
    margin: 4px 0;
    padding: 4px 8px;
    border-left: 3px solid var(--ci-color-warning, #b45309);
    color: var(--ci-color-text, inherit);
  }
  .badge {
    display: inline-block;
    font-size: 0.8em;
    padding: 1px 8px;
    border-radius: 999px;
    background: var(--ci-color-badge, #fdf0e6);
    color: var(--ci-color-badge-text, #8a3c12);
    font-weight: 600;
  }
  button,
  select,
  input {
    font: inherit;
    color: inherit;
  }
  button {
    border: 1px solid var(--ci-color-border-strong, #6b7280);
    background: var(--ci-color-surface, #ffffff);
    border-radius: 6px;
    padding: 4px 10px;
    cursor: pointer;
  }
  button.primary {
    background: var(--ci-color-accent, #1f5fbf);
    border-color: var(--ci-color-accent, #1f5fbf);
    color: var(--ci-color-on-accent, #ffffff);
  }
  button[aria-pressed='true'] {
    background: var(--ci-color-accent, #1f5fbf);
    border-color: var(--ci-color-accent, #1f5fbf);
    color: var(--ci-color-on-accent, #ffffff);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  select,
  input {
    border: 1px solid var(--ci-color-border-strong, #6b7280);
    border-radius: 6px;
    padding: 4px 8px;
    background: var(--ci-color-surface, #ffffff);
  }
  :is(button, select, input, summary, a):focus-visible {
    outline: 2px solid var(--ci-color-focus, #1f5fbf);
    outline-offset: 2px;
  }
  .segmented {
    display: inline-flex;
  }
  .segmented button {
    border-radius: 0;
  }
  .segmented button:first-child {
    border-radius: 6px 0 0 6px;
  }
  .segmented button:last-child {
    border-radius: 0 6px 6px 0;
  }
  .segmented button + button {
    border-left-width: 0;
  }
  .chart {
    width: 100%;
    min-height: 120px;
    overflow: hidden;
  }
  .summary {
    margin: 8px 0;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    text-align: left;
    padding: 6px 8px;
    border-bottom: 1px solid var(--ci-color-border, #d8dde6);
  }
  td.num,
  th.num {
    text-align: right;
  }
  details summary {
    cursor: pointer;
    color: var(--ci-color-link, #1f5fbf);
  }
  .ran-out {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 12px;
    align-items: center;
    justify-content: space-between;
    margin: 8px 0;
    padding: 8px 12px;
    border-radius: 6px;
    border-left: 4px solid var(--ci-color-error, #a3202d);
    background: var(--ci-color-error-surface, #fdecee);
    color: var(--ci-color-error-text, #7a1520);
  }
  .state {
    padding: 24px 8px;
    text-align: center;
  }
  .state.error {
    color: var(--ci-color-error, #a3202d);
  }
  /* A sign, currency and digits stay on one line (a wrapped "−" reads as a positive amount). */
  .money,
  td.num,
  button {
    white-space: nowrap;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .scroll {
    overflow-x: auto;
  }
`;
