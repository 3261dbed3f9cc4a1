/**
 * FetchController: the reactive controller that does a widget's loading. Config: `args()` returns the inputs the
 * data depends on (attributes, filters); whenever they change before an update, `task(args, signal)` runs
 * again and the previous run is aborted. The state is always one of pending / complete / error, so errors are
 * rendered by the element and never thrown at the page. While a new run is in flight a complete state keeps its
 * old value and `loading` is true (elements set aria-busy), so filters do not flash the widget empty.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError } from './api-error.js';

/**
 * How long a widget without a token waits before calling that an error: a partner page sets the token after
 * fetching it from its own back end, so a first render without one is normal.
 */
const TOKEN_GRACE_MS = 10_000;

export type FetchState<T> =
  | { readonly status: 'pending' }
  | { readonly status: 'complete'; readonly value: T }
  | { readonly status: 'error'; readonly error: ApiError };

export interface FetchConfig<A extends readonly unknown[], T> {
  /** Inputs of the task; compared by value (JSON) before each host update. */
  readonly args: () => A;
  /** Loads the data; throwing ApiError (or anything) ends in the error state. */
  readonly task: (args: A, signal: AbortSignal) => Promise<T>;
}

export class FetchController<A extends readonly unknown[], T> implements ReactiveController {
  state: FetchState<T> = { status: 'pending' };
  /** True while a run is in flight; a complete state keeps showing its value meanwhile (no flash on filters). */
  loading = false;
  private lastKey: string | null = null;
  private abort: AbortController | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: FetchConfig<A, T>,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    const args = this.config.args();
    const key = JSON.stringify(args);
    if (key !== this.lastKey) {
      this.lastKey = key;
      void this.run(args);
    }
  }

  hostDisconnected(): void {
    this.abort?.abort();
    this.lastKey = null;
  }

  /** Loads again with the current inputs (after a write, or from a retry button). */
  reload(): void {
    this.lastKey = null;
    this.host.requestUpdate();
  }

  private async run(args: A): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    if (this.state.status !== 'complete') this.state = { status: 'pending' };
    this.loading = true;
    this.host.requestUpdate();
    try {
      const value = await this.config.task(args, abort.signal);
      if (abort.signal.aborted) return;
      this.state = { status: 'complete', value };
    } catch (err) {
      if (abort.signal.aborted) return;
      const error = err instanceof ApiError ? err : new ApiError(0, 'client', 'unknown');
      if (!(err instanceof ApiError)) console.error(err);
      if (error.code === 'config') this.awaitToken(abort.signal, error);
      else this.state = { status: 'error', error };
    }
    this.loading = false;
    this.host.requestUpdate();
  }

  /** Stays pending while the page fetches a token; an error (and a console line) only if none comes. */
  private awaitToken(signal: AbortSignal, error: ApiError): void {
    this.state = { status: 'pending' };
    setTimeout(() => {
      if (signal.aborted) return;
      void import('./developer-hint.js').then((m) => m.hintDeveloper(error));
      this.state = { status: 'error', error };
      this.host.requestUpdate();
    }, TOKEN_GRACE_MS);
  }
}
