import { describe, expect, it } from 'vitest';
import { fileNameOf, formatBytes } from './download-archive.js';

describe('download helpers', () => {
  it('takes the file name of a Content-Disposition header without any directory part', () => {
    expect(fileNameOf('attachment; filename="workorder_7_abc.zip"')).toBe('workorder_7_abc.zip');
    expect(fileNameOf('attachment; filename=plain.zip')).toBe('plain.zip');
    expect(fileNameOf('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameOf('attachment; filename=".."')).toBeNull();
    expect(fileNameOf(null)).toBeNull();
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(59_012)).toBe('57.6 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});
