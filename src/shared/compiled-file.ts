import { fileURLToPath } from 'node:url';

/**
 * The compiled JavaScript file `name` beside the module at `moduleUrl` (a worker thread's entry). Under
 * a TypeScript runner (tests, benchmarks) the module is `src/….ts` and the file is taken from the build
 * in `dist/` (`npm test` and the benchmarks build first).
 */
export function compiledFileBeside(moduleUrl: string, name: string): string {
  const self = fileURLToPath(moduleUrl);
  const compiled = self.endsWith('.ts') ? self.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2') : self;
  return compiled.replace(/[^\\/]+$/, name);
}
