/**
 * Styles of <ci-funds-table>: the wizard's dialog, and the table's small-container layout. Below 600 px of
 * container width (a phone, or a narrow cell of a partner's portal) each number becomes a block of labelled
 * lines, so every field stays readable without scrolling sideways; the labels come from `data-label`, filled
 * from the message catalogue.
 */
import { css } from 'lit';

export const fundsTableStyles = css`
  dialog {
    border: 0;
    padding: 0;
    border-radius: var(--ci-radius, 10px);
    width: min(520px, calc(100vw - 16px));
    max-width: calc(100vw - 16px);
    /* The close button stays in view: the bar never scrolls, the wizard below it does. */
    max-height: calc(100dvh - 16px);
    overflow: hidden;
    background: transparent;
  }
  dialog[open] {
    display: flex;
    flex-direction: column;
  }
  dialog::backdrop {
    background: rgb(16 24 40 / 45%);
  }
  .dialog-bar {
    display: flex;
    justify-content: flex-end;
    flex: none;
    padding-bottom: 8px;
  }
  .dialog-body {
    overflow: auto;
    min-height: 0;
  }
  .label-edit {
    display: flex;
    gap: 4px;
    flex-wrap: wrap;
  }
  .actions {
    display: flex;
    gap: 6px;
    justify-content: flex-end;
    flex-wrap: wrap;
  }
  @container (max-width: 599px) {
    table,
    tbody,
    tr,
    td {
      display: block;
    }
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
    tbody tr {
      padding: 8px 0;
      border-bottom: 1px solid var(--ci-color-border, #d8dde6);
    }
    tbody tr.state-row {
      padding-top: 0;
    }
    td,
    td.num {
      display: flex;
      justify-content: space-between;
      align-items: baseline;
      gap: 12px;
      padding: 3px 0;
      border: 0;
      text-align: right;
    }
    td[data-label]::before {
      content: attr(data-label);
      flex: none;
      max-width: 50%;
      color: var(--ci-color-muted, #4b5563);
      text-align: left;
      white-space: normal;
    }
    .actions {
      justify-content: flex-start;
      width: 100%;
      padding-top: 4px;
    }
  }
`;
