import type { FileHandle } from 'node:fs/promises';

/**
 * The bytes of an open file from its start, in order, as views of one reused buffer: each view must be
 * consumed before the next is asked for, so copying a large file leaves nothing behind for the garbage
 * collector. With `length`, exactly that many bytes (a file that ends sooner is an error); else up to
 * the end of the file.
 */
export async function* readThroughBuffer(file: FileHandle, bufferBytes: number, length = Number.POSITIVE_INFINITY): AsyncGenerator<Uint8Array> {
  const buffer = Buffer.allocUnsafeSlow(Math.max(1, Math.min(bufferBytes, length)));
  for (let position = 0; position < length; ) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, length - position), position);
    if (bytesRead === 0) {
      if (length === Number.POSITIVE_INFINITY) return;
      throw new Error(`file ended after ${position} of ${length} bytes`);
    }
    yield buffer.subarray(0, bytesRead);
    position += bytesRead;
  }
}
