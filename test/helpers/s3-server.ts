/**
 * A local S3-compatible server (s3rver) on loopback for the object-store tests: one bucket, a fixed port kept
 * across a stop and a start (a store that goes down and comes back at the same address), and the keys the tests
 * read back. Its credentials are s3rver's own.
 */
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { freePort } from './postgres-server.js';

export const S3_KEY = 'S3RVER';

export class S3Server {
  private server: S3rver | null = null;
  private readonly client: S3Client;

  private constructor(
    readonly port: number,
    readonly bucket: string,
    private readonly dir: string,
  ) {
    this.client = new S3Client({
      endpoint: this.endpoint,
      region: 'auto',
      forcePathStyle: true,
      credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_KEY },
    });
  }

  /** Starts a server keeping its objects in `dir`, with `bucket` created. */
  static async start(dir: string, bucket: string): Promise<S3Server> {
    const s = new S3Server(await freePort(), bucket, dir);
    await s.start();
    await s.client.send(new CreateBucketCommand({ Bucket: bucket }));
    return s;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The service's settings for a lake at s3://<bucket>/<prefix> on this server. */
  settings(prefix: string): Record<string, string> {
    return {
      INGEST_LAKE_URL: `s3://${this.bucket}/${prefix}`,
      S3_ENDPOINT: this.endpoint,
      S3_ACCESS_KEY_ID: S3_KEY,
      S3_SECRET_ACCESS_KEY: S3_KEY,
    };
  }

  async start(): Promise<void> {
    this.server = new S3rver({ port: this.port, address: '127.0.0.1', directory: this.dir, silent: true });
    await this.server.run();
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }

  /** Every key of the bucket (under `prefix`). */
  async keys(prefix?: string): Promise<string[]> {
    const listed = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.bucket, ...(prefix ? { Prefix: prefix } : {}) }),
    );
    return (listed.Contents ?? []).map((o) => o.Key!);
  }

  async put(key: string, body: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
  }

  /** Stops the server and the test's client. */
  async close(): Promise<void> {
    await this.stop();
    this.client.destroy();
  }
}
