/** What stops a process from starting, said for an operator: printed as it is, without a stack trace. */
export class StartupError extends Error {
  constructor(readonly problems: string[], heading = 'Cannot start') {
    super(`${heading}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StartupError';
  }
}

/** A file-system or SQLite error in words: `read-only file system (EROFS)`. */
export function fileErrorReason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const words = typeof message === 'string' ? message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '') : String(error);
  return code ? `${words} (${code})` : words;
}
