/** Templates for the async states every widget shows: pending, empty, error (with retry), and the data table. */
import { html, nothing, type TemplateResult } from 'lit';
import type { ApiError } from './api-error.js';
import type { Translate } from './catalogue.js';
import type { FetchState } from './fetch-controller.js';

export function renderPending(t: Translate): TemplateResult {
  return html`<div class="state pending" part="state state-pending" role="status" aria-live="polite">
    ${t('loading')}
  </div>`;
}

/** The text of a failed call: the service's specific detail when it has one, else the catalogue message. */
export function errorText(t: Translate, error: ApiError): string {
  return error.detail ?? t(error.key, error.params);
}

export function renderEmpty(message: string): TemplateResult {
  return html`<div class="state empty muted" part="state state-empty" role="status">${message}</div>`;
}

export function renderError(t: Translate, message: string, retry?: () => void): TemplateResult {
  return html`<div class="state error" part="state state-error" role="alert">
    <p>${message}</p>
    ${retry ? html`<button part="button" @click=${retry}>${t('retry')}</button>` : nothing}
  </div>`;
}

/** Renders pending or error, or hands the value to `complete`. */
export function renderFetch<T>(
  t: Translate,
  state: FetchState<T>,
  complete: (value: T) => TemplateResult,
  retry?: () => void,
): TemplateResult {
  if (state.status === 'pending') return renderPending(t);
  if (state.status === 'error') return renderError(t, errorText(t, state.error), retry);
  return complete(state.value);
}

export interface TableColumn<R> {
  readonly label: string;
  readonly numeric?: boolean;
  readonly cell: (row: R) => string;
}

/** The accessible data view behind a chart: a disclosure (native, keyboard-operable) around a table. */
export function renderDataTable<R>(
  t: Translate,
  caption: string,
  columns: readonly TableColumn<R>[],
  rows: readonly R[],
): TemplateResult {
  return html`<details part="data-table">
    <summary>${t('showTable')}</summary>
    <div class="scroll">
      <table part="table">
        <caption class="sr-only">
          ${caption}
        </caption>
        <thead>
          <tr>
            ${columns.map((c) => html`<th scope="col" class=${c.numeric ? 'num' : ''}>${c.label}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                ${columns.map((c) => html`<td class=${c.numeric ? 'num' : ''}>${c.cell(r)}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </details>`;
}

export interface CardOptions {
  readonly title: string;
  /** Sets aria-busy while the card's data loads. */
  readonly loading: boolean;
  /** Marks the card's figures as estimates (charges, forecasts, runway). */
  readonly estimate?: boolean;
  /** Controls shown beside the heading. */
  readonly controls?: TemplateResult;
}

/** The card every widget renders into: a labelled section with its heading, badge or controls, then the body. */
export function renderCard(t: Translate, opts: CardOptions, body: unknown): TemplateResult {
  return html`<section
    class="card"
    part="card"
    aria-labelledby="title"
    aria-busy=${opts.loading ? 'true' : 'false'}
  >
    <header>
      <h2 id="title" part="heading">${opts.title}</h2>
      ${opts.estimate ? html`<span class="badge" part="badge">${t('estimate')}</span>` : nothing}
      ${opts.controls ? html`<div class="controls" part="controls">${opts.controls}</div>` : nothing}
    </header>
    ${body}
  </section>`;
}
