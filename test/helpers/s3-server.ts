import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** s3rver accepts any request signed with this key pair. */
export const S3RVER_KEY = 'S3RVER';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string }>;
}) => S3rverInstance;
// s3rver ships no type declarations.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface S3Server {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** A real S3-compatible server (s3rver) on 127.0.0.1, a random port, with `bucket` created, in a temporary directory. */
export async function startS3rver(bucket: string): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'sigil-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
