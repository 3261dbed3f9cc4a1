/** Styles of <ci-balance-breakdown>: the donut beside the list, one grid line per number. */
import { css } from 'lit';

export const breakdownStyles = css`
  .layout {
    display: flex;
    flex-wrap: wrap;
    gap: 16px;
    align-items: center;
  }
  .layout .chart {
    width: auto;
    flex: 0 0 auto;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    flex: 1 1 240px;
  }
  li {
    display: grid;
    grid-template-columns: 12px 1fr auto auto;
    gap: 8px;
    align-items: center;
    padding: 6px 0;
    border-bottom: 1px solid var(--ci-color-border, #d8dde6);
  }
  /* A run-out notice spans the number's whole line, under its name and balance. */
  li .ran-out {
    grid-column: 1 / -1;
    margin: 0;
  }
  .swatch {
    width: 12px;
    height: 12px;
    border-radius: 3px;
  }
  .amount {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  .total {
    font-size: 1.4em;
    font-weight: 600;
  }
`;
