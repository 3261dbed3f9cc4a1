import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

describe('worker/routes/ingest: the OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('documents POST /v1/ingest with every accepted content type', async () => {
    const r = await h.json('GET', '/v1/openapi.json');
    const post = r.body.paths['/v1/ingest'].post;
    expect(Object.keys(post.requestBody.content).sort()).toEqual([
      'application/vnd.apache.arrow.stream',
      'application/vnd.apache.parquet',
      'application/vnd.whatsapp.webhooks+x-ndjson',
      'application/x-ndjson',
      'text/csv',
    ]);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '413', '415', '422']));
  });
});
