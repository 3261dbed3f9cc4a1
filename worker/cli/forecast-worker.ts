/** Worker thread of the forecast CLI: forecasts the batches of series it is sent and posts the results back. */
import { parentPort, workerData } from 'node:worker_threads';
import { forecastSeries } from '../forecast/forecast-series.js';
import type { ForecastOptions, ForecastResult } from '../forecast/types.js';

export interface WorkerBatch {
  batch: number;
  series: { id: string; values: number[] }[];
}

export interface WorkerAnswer {
  batch: number;
  results: ForecastResult[];
}

const opts = workerData as ForecastOptions;
parentPort?.on('message', (msg: WorkerBatch) => {
  const results = msg.series.map((s) => forecastSeries(s.values, opts));
  parentPort?.postMessage({ batch: msg.batch, results } satisfies WorkerAnswer);
});
