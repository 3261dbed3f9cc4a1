/**
 * The ingest lake's object store over the S3 API: Cloudflare R2 (endpoint https://<account>.r2.cloudflarestorage.com,
 * region "auto"), Amazon S3, or any S3-compatible server. Path-style addressing, so an endpoint on a private
 * address works too. Keys are <prefix>/<lake key>.
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IngestLakeRemote } from '../config.js';
import type { ObjectStore } from './object-store.js';

export function s3ObjectStore(remote: IngestLakeRemote): ObjectStore {
  const client = new S3Client({
    endpoint: remote.endpoint,
    region: remote.region,
    forcePathStyle: true,
    credentials: { accessKeyId: remote.accessKeyId, secretAccessKey: remote.secretAccessKey },
    maxAttempts: 4,
    // Checksums only where an operation requires them: the SDK's default streams uploads as aws-chunked with a
    // trailing checksum, which R2 and other S3-compatible servers do not all take.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const full = (key: string) => (remote.prefix ? `${remote.prefix}/${key}` : key);
  const root = remote.prefix ? `${remote.prefix}/` : '';
  return {
    name: remote.url,
    async put(key, fromPath) {
      const { size } = await stat(fromPath);
      await client.send(
        new PutObjectCommand({
          Bucket: remote.bucket,
          Key: full(key),
          Body: createReadStream(fromPath),
          ContentLength: size,
          ContentType: 'application/vnd.apache.parquet',
        }),
      );
    },
    async remove(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const Objects = keys.slice(i, i + 1000).map((k) => ({ Key: full(k) }));
        await client.send(
          new DeleteObjectsCommand({ Bucket: remote.bucket, Delete: { Objects, Quiet: true } }),
        );
      }
    },
    async list() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: remote.bucket,
            Prefix: root,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(root.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async get(key, toPath) {
      const res = await client.send(new GetObjectCommand({ Bucket: remote.bucket, Key: full(key) }));
      if (!(res.Body instanceof Readable)) throw new Error(`${remote.url}/${key}: no body`);
      const part = `${toPath}.part`;
      try {
        await pipeline(res.Body, createWriteStream(part));
        await rename(part, toPath);
      } catch (err) {
        await rm(part, { force: true });
        throw err;
      }
    },
  };
}
