/**
 * What a committed webhook batch says about open windows: the inbound messages and the conversations with an
 * expiry. Ingest derives them; the caller decides who learns from them (the send gate, one layer up), so ingest
 * never reaches into the gate itself.
 */

export interface InboundSignal {
  readonly phone_number_id: string;
  readonly customer: string;
  /** Epoch ms of the message. */
  readonly at: number;
  readonly referral: 'ad' | 'post' | null;
}

export interface ConversationSignal {
  readonly phone_number_id: string;
  readonly customer: string;
  /** conversation.origin.type as Meta sent it. */
  readonly origin: string;
  /** Epoch ms of conversation.expiration_timestamp. */
  readonly until: number;
}

export interface WindowSignals {
  readonly inbound: readonly InboundSignal[];
  readonly conversations: readonly ConversationSignal[];
}

/** Runs after a webhook batch committed with its signals; a failure must not undo the committed batch. */
export type OnWindows = (signals: WindowSignals) => Promise<void>;
