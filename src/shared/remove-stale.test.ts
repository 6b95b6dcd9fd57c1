import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStale } from './remove-stale.js';

describe('removeStale', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-stale-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('removes matching entries untouched for long enough, keeps fresh ones and directories with fresh files', () => {
    const old = (Date.now() - 120_000) / 1000;
    mkdirSync(join(dir, 'blobs/workorders/1'), { recursive: true });
    writeFileSync(join(dir, 'blobs/workorders/1/a.zip.x.partial'), 'old');
    utimesSync(join(dir, 'blobs/workorders/1/a.zip.x.partial'), old, old);
    writeFileSync(join(dir, 'blobs/workorders/1/b.zip.y.partial'), 'fresh');
    writeFileSync(join(dir, 'blobs/workorders/1/done.zip'), 'kept');
    utimesSync(join(dir, 'blobs/workorders/1/done.zip'), old, old);
    mkdirSync(join(dir, 'tmp/archive-live'), { recursive: true });
    writeFileSync(join(dir, 'tmp/archive-live/codes.csv'), 'being written');
    utimesSync(join(dir, 'tmp/archive-live'), old, old);
    mkdirSync(join(dir, 'tmp/archive-dead'), { recursive: true });
    writeFileSync(join(dir, 'tmp/archive-dead/codes.csv'), 'abandoned');
    utimesSync(join(dir, 'tmp/archive-dead/codes.csv'), old, old);
    utimesSync(join(dir, 'tmp/archive-dead'), old, old);
    return Promise.all([
      removeStale(join(dir, 'blobs'), 60_000, (e) => e.isFile() && e.name.endsWith('.partial')),
      removeStale(join(dir, 'tmp'), 60_000, (e) => e.isDirectory() && e.name.startsWith('archive-')),
      removeStale(join(dir, 'missing'), 60_000, () => true),
    ]).then(([blobs, tmp, missing]) => {
      expect([blobs, tmp, missing]).toEqual([1, 1, 0]);
      expect(existsSync(join(dir, 'blobs/workorders/1/b.zip.y.partial'))).toBe(true);
      expect(existsSync(join(dir, 'blobs/workorders/1/done.zip'))).toBe(true);
      expect(existsSync(join(dir, 'tmp/archive-live/codes.csv'))).toBe(true);
      expect(existsSync(join(dir, 'tmp/archive-dead'))).toBe(false);
    });
  });
});
