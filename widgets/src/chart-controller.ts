/**
 * ChartController: the reactive controller that owns a chart's lifecycle. Config: `chart` (template name),
 * `container()` (the element to draw into, inside the shadow root), `fixedWidth` (true for charts that keep
 * their template size, like the donut). Call `setData(rows)` from render; after the host updates the controller
 * loads the Vega chunk once, draws, redraws on new data, and follows the container's width with a
 * ResizeObserver. When a chart has been drawn the host gets `data-chart-drawn` and a `ci-chart-drawn` event.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChartHandle, ChartLook } from './chart-runtime.js';
import { numberLocale } from './number-locale.js';
import { PALETTE, resolveColor } from './specs/chart-palette.js';
import type { ChartTexts } from './specs/chart-text.js';
import type { ChartName } from './specs/chart-templates.js';

export interface ChartConfig {
  readonly chart: ChartName;
  readonly container: () => HTMLElement | null | undefined;
  readonly fixedWidth?: boolean;
  /** Translated chart texts and the locale for numbers; a change redraws the chart. */
  readonly texts: () => ChartTexts;
  readonly locale: () => string | undefined;
  /** The currency a `$` number format shows (money charts). */
  readonly currency?: () => string;
}

/** Room for the y axis and padding next to the plot area. */
const AXIS_ALLOWANCE = 72;

export class ChartController implements ReactiveController {
  private rows: readonly object[] | null = null;
  private dirty = false;
  private handle: ChartHandle | null = null;
  private drawnInto: HTMLElement | null = null;
  private drawnLook = '';
  /** The look the current view was drawn with (a redraw for another look must not reuse the view). */
  private handleLook = '';
  private observer: ResizeObserver | null = null;
  private drawing: Promise<void> = Promise.resolve();
  /** Set when the chart chunk failed to load; the element shows its table instead. */
  failed = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly config: ChartConfig,
  ) {
    host.addController(this);
  }

  /** Hands the chart its rows; drawing happens after the host's next update. */
  setData(rows: readonly object[]): void {
    if (rows !== this.rows) {
      this.rows = rows;
      this.dirty = true;
    }
  }

  hostUpdated(): void {
    const container = this.config.container();
    if (!container || !this.rows) return;
    const look = this.look();
    const lookKey = JSON.stringify(look);
    if (container !== this.drawnInto || lookKey !== this.drawnLook) {
      this.teardown();
      this.dirty = true;
    }
    if (!this.dirty) return;
    this.dirty = false;
    const rows = this.rows;
    this.drawnLook = lookKey;
    this.drawing = this.drawing.then(() => this.draw(container, rows, look, lookKey));
  }

  hostConnected(): void {
    // Re-attached after a move in the DOM: the view was finalised on disconnect, so draw again.
    if (this.rows && !this.handle) {
      this.dirty = true;
      this.host.requestUpdate();
    }
  }

  hostDisconnected(): void {
    this.teardown();
  }

  private plotWidth(container: HTMLElement): number | null {
    if (this.config.fixedWidth) return null;
    return Math.max(160, Math.floor(container.clientWidth || 560) - AXIS_ALLOWANCE);
  }

  private async draw(
    container: HTMLElement,
    rows: readonly object[],
    look: ChartLook,
    lookKey: string,
  ): Promise<void> {
    try {
      if (this.handle && this.drawnInto === container && this.handleLook === lookKey) {
        await this.handle.update(rows);
      } else {
        // A view still drawing when the look changed (a theme or language switched during the first draw) lands
        // after the teardown: replace it rather than update it.
        this.observer?.disconnect();
        this.handle?.finalize();
        const { drawChart } = await import('./chart-runtime.js');
        this.handle = await drawChart(container, this.config.chart, rows, look, this.plotWidth(container));
        this.handleLook = lookKey;
        this.drawnInto = container;
        this.observe(container);
      }
      this.host.setAttribute('data-chart-drawn', '');
      this.host.dispatchEvent(new CustomEvent('ci-chart-drawn', { bubbles: true, composed: true }));
    } catch (err) {
      console.error(err);
      this.failed = true;
      this.host.requestUpdate();
    }
  }

  private observe(container: HTMLElement): void {
    if (this.config.fixedWidth || typeof ResizeObserver === 'undefined') return;
    let last = container.clientWidth;
    this.observer = new ResizeObserver(() => {
      const w = container.clientWidth;
      if (Math.abs(w - last) < 8 || !this.handle) return;
      last = w;
      const width = this.plotWidth(container);
      if (width !== null) this.drawing = this.drawing.then(() => this.handle?.resize(width));
    });
    this.observer.observe(container);
  }

  /** The theme's CSS custom properties off the host (palette defaults otherwise), texts and number locale. */
  private look(): ChartLook {
    const style = getComputedStyle(this.host);
    const colors = Object.fromEntries(
      Object.entries(PALETTE).map(([k, v]) => [
        k,
        resolveColor(style.getPropertyValue(v.cssVar), v.fallback),
      ]),
    );
    const { texts, locale, currency } = this.config;
    return { colors, texts: texts(), numberLocale: numberLocale(locale(), currency?.() || 'USD') };
  }

  private teardown(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.handle?.finalize();
    this.handle = null;
    this.drawnInto = null;
    this.drawnLook = '';
    this.host.removeAttribute('data-chart-drawn');
  }
}
