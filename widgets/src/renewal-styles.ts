/** Styles of the auto-renewal panel: settings list, form fields, actions. */
import { css } from 'lit';

export const renewalStyles = css`
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 6px 16px;
  }
  dt {
    color: var(--ci-color-muted, #4b5563);
  }
  dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
  }
  .field {
    display: grid;
    gap: 4px;
    margin-bottom: 12px;
  }
  .check {
    display: inline-flex;
    gap: 6px;
    align-items: center;
    margin: 0 12px 8px 0;
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0 0 8px;
  }
  legend {
    padding: 0;
    margin-bottom: 4px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    justify-content: flex-end;
  }
  .scope {
    margin: 0 0 8px;
  }
  .error {
    color: var(--ci-color-error, #a3202d);
  }
`;
