/**
 * The monthly series a forecast is fitted on when a history crosses the per-message switch: months counted in
 * conversations are converted into message-equivalents by a ratio learned from this series around the switch
 * (worker/forecast/switch-ratio.ts), so a number keeps its seasons (December, Black Friday) from the years before
 * 2025-07. When the ratio cannot be learned (fewer than three months before or two after), the earlier months are
 * left out as before. The answer says which was done (`HistoryBasis`).
 */
import { normalQuantile } from '../normal-quantile.js';
import { convertBeforeSwitch, learnSwitchRatio } from '../switch-ratio.js';
import type { ForecastResult } from '../types.js';
import type { MonthPoint } from './monthly-history.js';

export interface HistoryBasis {
  /** 'conversation' when earlier months were converted into message-equivalents, else null. */
  readonly converted_from: 'conversation' | null;
  /** First month counted in messages, when the history crosses the switch. */
  readonly switch_month: string | null;
  /** Messages per conversation learned at the switch (null when nothing was converted). */
  readonly ratio: number | null;
  /** 80 % range of the ratio, from the standard error of its logarithm. */
  readonly ratio_80: readonly [number, number] | null;
  readonly months_converted: number;
  /** Months left out because they could not be converted. */
  readonly months_left_out: number;
}

export interface SeriesAcrossSwitch {
  readonly values: number[];
  /** Index into `months` of the first value in `values`. */
  readonly offset: number;
  readonly basis: HistoryBasis;
  /** Standard error of log(ratio), and the share of the fitted months that were converted. */
  readonly logSe: number;
  readonly convertedShare: number;
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

/** Index of the first message month after the last conversation month, or -1 when the units never change. */
export function switchIndexOf(months: readonly Pick<MonthPoint, 'unit'>[]): number {
  let lastConversation = -1;
  for (let i = 0; i < months.length; i++) if (months[i]!.unit === 'conversation') lastConversation = i;
  if (lastConversation < 0) return -1;
  for (let i = lastConversation + 1; i < months.length; i++) if (months[i]!.unit === 'message') return i;
  return -1;
}

export function seriesAcrossSwitch(
  months: readonly MonthPoint[],
  valueOf: (m: MonthPoint) => number,
  seasonLength: number,
): SeriesAcrossSwitch {
  const raw = months.map(valueOf);
  const s = switchIndexOf(months);
  const none: HistoryBasis = {
    converted_from: null,
    switch_month: null,
    ratio: null,
    ratio_80: null,
    months_converted: 0,
    months_left_out: 0,
  };
  if (s < 0) return { values: raw, offset: 0, basis: none, logSe: 0, convertedShare: 0 };
  const switchMonth = months[s]!.period;
  const r = learnSwitchRatio(raw, s, seasonLength);
  if (!r) {
    return {
      values: raw.slice(s),
      offset: s,
      basis: { ...none, switch_month: switchMonth, months_left_out: s },
      logSe: 0,
      convertedShare: 0,
    };
  }
  const z = normalQuantile(0.9);
  return {
    values: convertBeforeSwitch(raw, s, r.ratio),
    offset: 0,
    basis: {
      converted_from: 'conversation',
      switch_month: switchMonth,
      ratio: round4(r.ratio),
      ratio_80: [round4(r.ratio * Math.exp(-z * r.logSe)), round4(r.ratio * Math.exp(z * r.logSe))],
      months_converted: s,
      months_left_out: 0,
    },
    logSe: r.logSe,
    convertedShare: s / raw.length,
  };
}

/**
 * Widens a forecast's intervals by the ratio's uncertainty: the converted months inform the forecast in
 * proportion to their share of the history, and a relative error of logSe in the ratio moves that part of the
 * level; added in quadrature to each half-width at the interval's normal quantile.
 */
export function widenForRatio(f: ForecastResult, logSe: number, convertedShare: number): ForecastResult {
  const rel = logSe * convertedShare;
  if (!(rel > 0)) return f;
  return {
    ...f,
    intervals: f.intervals.map((iv) => {
      const z = normalQuantile(0.5 + iv.level / 200);
      const widen = (mean: number, half: number) => Math.sqrt(half * half + (z * rel * mean) ** 2);
      return {
        level: iv.level,
        lower: f.mean.map((m, h) => Math.max(0, m - widen(m, m - iv.lower[h]!))),
        upper: f.mean.map((m, h) => m + widen(m, iv.upper[h]! - m)),
      };
    }),
  };
}
