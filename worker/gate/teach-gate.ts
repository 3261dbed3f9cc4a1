/**
 * The after-commit effect the callers of a webhook ingest (POST /v1/ingest, `npm run ingest`) hand to it: the
 * send gate learns the windows the batch opened. It lives with the gate, so ingest only runs what it is given.
 */
import type { Logger } from '../env.js';
import type { OnWindows, WindowSignals } from '../ingest/window-signals.js';
import type { GateStateStore } from './gate-state-store.js';
import { learnWindows } from './learn-windows.js';

export interface GateToTeach {
  readonly state: GateStateStore;
  readonly log: Logger;
  /** Flush the learnt state at once, where no background job writes it behind. */
  readonly flush: boolean;
}

/** The batch is committed when this runs: a failure is logged, and the gate keeps what it knew. */
export function gateTeacher(gate: GateToTeach, now: Date): OnWindows {
  return async (signals: WindowSignals) => {
    try {
      await learnWindows(gate.state, signals, now.getTime());
      if (gate.flush) await gate.state.flush();
    } catch (err) {
      gate.log.warn('gate did not learn from webhooks', { error: String(err) });
    }
  };
}
