import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrackedUploads } from '../../src/domain/codes/tracked-uploads.js';
import { S3BlobStore } from '../../src/storage/s3-blob-store.js';
import { S3RVER_KEY, startS3rver, type S3Server } from '../helpers/s3-server.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const BUCKET = 'sigil-tracked';

/**
 * Uploads are recorded before their first byte, and whatever a killed run left is discarded by the run
 * that finishes — also on an S3-compatible server that cannot abort uploads (s3rver answers 405): the
 * record goes, a published blob is deleted, and the order does not fail for it.
 */
describe('tracked uploads', () => {
  let t: TestApp;
  let s3: S3Server;
  beforeAll(async () => {
    t = await createTestApp();
    s3 = await startS3rver(BUCKET);
  });
  afterAll(async () => {
    await t.close();
    await s3.close();
  });

  const uploadsOf = (workorderId: number) => t.container.db.selectFrom('blob_uploads').select(['blob_key', 'workorder_id'])
    .where('workorder_id', '=', workorderId).orderBy('blob_key').execute();

  it('records uploads, and discards the unfinished and the published ones it is not told to keep, even where aborting fails', async () => {
    const blobs = new S3BlobStore({
      kind: 's3', bucket: BUCKET, prefix: 'p/', endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1',
      credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    }, { partSizeBytes: 64 * 1024, allowPartsBelowS3Minimum: true });
    try {
      const uploads = new TrackedUploads({ db: t.container.db, blobs, clock: t.container.clock, logger: t.container.logger });
      // A killed run's upload, half written; another's, published but never marked done; the finishing run's own.
      const unfinished = await uploads.start(7, 'o/7/batch-000001-aaa');
      unfinished.stream.write(Buffer.alloc(200 * 1024, 1));
      const published = await uploads.start(7, 'o/7/batch-000001-bbb');
      published.stream.end(Buffer.from('fragment'));
      await published.commit();
      const own = await uploads.start(7, 'o/7/tail-ccc');
      own.stream.end(Buffer.from('end'));
      await own.commit();
      const otherOrder = await uploads.start(8, 'o/8/batch-000001-ddd');
      expect(await uploadsOf(7)).toEqual([
        { blob_key: 'o/7/batch-000001-aaa', workorder_id: 7 }, { blob_key: 'o/7/batch-000001-bbb', workorder_id: 7 }, { blob_key: 'o/7/tail-ccc', workorder_id: 7 },
      ]);

      expect(await uploads.discard(7, { keep: own.uploadId })).toBe(2);
      expect(await uploadsOf(7)).toEqual([{ blob_key: 'o/7/tail-ccc', workorder_id: 7 }]);
      expect(await blobs.stat('o/7/batch-000001-bbb')).toBeNull();
      expect(await blobs.stat('o/7/tail-ccc')).toEqual({ size: 3 });
      expect(await uploadsOf(8)).toHaveLength(1);
      // By key prefix: only that batch's runs.
      expect(await uploads.discard(8, { keyPrefix: 'o/8/batch-000002-' })).toBe(0);
      expect(await uploads.discard(8, { keyPrefix: 'o/8/batch-000001-' })).toBe(1);
      expect(await uploadsOf(8)).toEqual([]);
      unfinished.stream.destroy();
      otherOrder.stream.destroy();
    } finally {
      blobs.close();
    }
  });
});
