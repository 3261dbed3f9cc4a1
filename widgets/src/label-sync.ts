/**
 * One name per number on the whole page: when a label is edited (in the funds table, or by the partner's own
 * page), a `ci-label-changed` event on the document carries `{ phone_number_id, label }` and every widget shows
 * the new name at once, without reloading its data.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const LABEL_EVENT = 'ci-label-changed';

export interface LabelChange {
  readonly phone_number_id: string;
  /** The new label; null when it was cleared (the display number shows again). */
  readonly label: string | null;
}

/** Labels changed on this page since its data was loaded (the service has them too). */
const edited = new Map<string, string | null>();

/** The label to show for a number: the one last edited on this page, else the one the service sent. */
export function currentLabel(phoneNumberId: string, fromService: string | null | undefined): string | null {
  return edited.has(phoneNumberId) ? (edited.get(phoneNumberId) ?? null) : (fromService ?? null);
}

/** Tells every widget on the page (and the page itself) that a number's label changed. */
export function announceLabel(change: LabelChange): void {
  document.dispatchEvent(new CustomEvent<LabelChange>(LABEL_EVENT, { detail: change }));
}

function isLabelChange(v: unknown): v is LabelChange {
  const c = v as Partial<LabelChange> | null;
  return (
    !!c &&
    typeof c.phone_number_id === 'string' &&
    (c.label === null || (typeof c.label === 'string' && c.label.length <= 100))
  );
}

/** Re-renders its host whenever a label changes anywhere on the page. */
export class LabelSync implements ReactiveController {
  private readonly onChange = (e: Event) => {
    const detail = (e as CustomEvent<unknown>).detail;
    if (!isLabelChange(detail)) return;
    edited.set(detail.phone_number_id, detail.label === '' ? null : detail.label);
    this.host.requestUpdate();
  };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener(LABEL_EVENT, this.onChange);
  }

  hostDisconnected(): void {
    document.removeEventListener(LABEL_EVENT, this.onChange);
  }
}
