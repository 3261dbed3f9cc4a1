/** Styles of the add-funds wizard: step indicator, fields, quote list, actions. */
import { css } from 'lit';

export const addFundsStyles = css`
  :host {
    max-width: var(--ci-wizard-max-width, 560px);
  }
  ol.steps {
    display: flex;
    gap: 8px;
    list-style: none;
    padding: 0;
    margin: 0 0 16px;
    counter-reset: step;
  }
  ol.steps li {
    flex: 1;
    padding: 6px 8px;
    border-bottom: 3px solid var(--ci-color-border, #d8dde6);
    color: var(--ci-color-muted, #4b5563);
  }
  ol.steps li[aria-current='step'] {
    border-color: var(--ci-color-accent, #1f5fbf);
    color: inherit;
    font-weight: 600;
  }
  .field {
    display: grid;
    gap: 4px;
    margin-bottom: 12px;
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0 0 12px;
  }
  legend {
    padding: 0;
    margin-bottom: 4px;
  }
  .actions {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
    margin-top: 16px;
  }
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 6px 16px;
  }
  dd {
    margin: 0;
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .total {
    font-weight: 700;
  }
  .estimate {
    margin-bottom: 12px;
  }
  .estimate p {
    margin: 0 0 6px;
  }
  .live {
    min-height: 1.4em;
  }
  .error {
    color: var(--ci-color-error, #a3202d);
  }
`;
