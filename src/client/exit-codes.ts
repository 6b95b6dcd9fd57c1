/** `sigil-client` exit statuses (listed in its --help). */
export const EXIT = {
  ok: 0,
  /** the API answered with an error, or the server could not be reached */
  error: 1,
  /** bad usage: unknown or bad option, missing URL or token, unreadable profile or payload file */
  usage: 2,
  /** `order wait`: generation failed (codegen_status 5) */
  generationFailed: 3,
  /** `order wait`: the order was canceled */
  canceled: 4,
  /** `order wait`: --timeout passed before the codes were generated */
  timeout: 5,
  /** `order download`: the file's SHA-256 is not the server's (the part file is deleted) */
  checksumMismatch: 6,
} as const;

export const EXIT_CODES_HELP = `
Exit status:
  0  success (order wait: the codes are generated)
  1  the API answered with an error (printed as "error: <field>: <message>"), or the server is unreachable
  2  bad usage: unknown or bad option, missing URL or token, unreadable profile or payload file
  3  order wait: generation failed
  4  order wait: the order was canceled
  5  order wait: --timeout passed
  6  order download: SHA-256 mismatch (the part file is deleted)`;

/** An error that ends the command with its own message lines (on stderr) and exit status. */
export class ClientError extends Error {
  constructor(readonly lines: string[], readonly exitCode: number) {
    super(lines.join('\n'));
    this.name = 'ClientError';
  }
}
