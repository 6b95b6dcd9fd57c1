import type { Dirent } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Last modification of a file, or of a directory and the files directly in it (writers touch files, not their directory). */
async function lastTouched(path: string, isDirectory: boolean): Promise<number> {
  let newest = (await stat(path)).mtimeMs;
  if (!isDirectory) return newest;
  for (const child of await readdir(path)) {
    newest = Math.max(newest, (await stat(join(path, child))).mtimeMs);
  }
  return newest;
}

/**
 * Removes entries under `dir` (recursively) that match and were last touched more than `olderThanMs`
 * ago. A live writer keeps touching its files, so only what a dead process left behind goes.
 */
export async function removeStale(dir: string, olderThanMs: number, matches: (entry: Dirent) => boolean): Promise<number> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  for (const entry of entries.filter(matches)) {
    const path = join(entry.parentPath, entry.name);
    try {
      if ((await lastTouched(path, entry.isDirectory())) < cutoff) {
        await rm(path, { recursive: true, force: true });
        removed += 1;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}
