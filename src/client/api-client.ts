import { ClientError, EXIT } from './exit-codes.js';
import type { Connection } from './profile.js';

export type Query = Record<string, string | number | boolean | undefined>;

/** A DRF page. */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/**
 * The Sigil API over HTTP (global fetch). Every request carries `Authorization: UAT <key>`; an answer
 * outside 2xx becomes a ClientError with the DRF body as `error: <field>: <message>` lines (exit 1),
 * an unreachable server one naming the URL. The key never appears in an error.
 */
export class ApiClient {
  constructor(private readonly connection: Connection) {}

  url(path: string, query: Query = {}): string {
    const url = new URL(`${this.connection.url}${path}`); // kept under a base path (a server behind /sigil/, say)
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  }

  async json<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    const response = await this.send(method, this.url(path, options.query), options.body === undefined ? {} : {
      headers: { 'content-type': 'application/json' }, body: JSON.stringify(options.body),
    });
    const text = await response.text();
    if (!response.ok) throw httpError(response, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ClientError([`error: ${method} ${response.url} answered ${response.status} with a body that is not JSON`], EXIT.error);
    }
  }

  /** The raw response of a GET or HEAD (for downloads); an error status is thrown as above. */
  async raw(method: 'GET' | 'HEAD', path: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await this.send(method, this.url(path), { headers });
    if (!response.ok) throw httpError(response, method === 'HEAD' ? '' : await response.text());
    return response;
  }

  private async send(method: string, url: string, init: { headers?: Record<string, string>; body?: string }): Promise<Response> {
    try {
      return await fetch(url, {
        method,
        body: init.body,
        headers: { accept: 'application/json', ...init.headers, authorization: `UAT ${this.connection.token}` },
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ClientError([`error: cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`], EXIT.error);
    }
  }
}

function httpError(response: Response, text: string): ClientError {
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON (a proxy's page, say): shown as the status only
  }
  const lines = typeof body === 'object' && body !== null ? errorLines(body as Record<string, unknown>) : [];
  return new ClientError(lines.length > 0 ? lines : [`error: HTTP ${response.status} ${response.statusText} from ${response.url}`], EXIT.error);
}

/**
 * DRF error bodies as lines: `{"detail": "…"}` → `error: …`; `{"quantity": ["…"]}` → `error: quantity: …`;
 * nested objects join their keys with dots (`items.3.extended_id`).
 */
export function errorLines(body: Record<string, unknown>, prefix = ''): string[] {
  if (prefix === '' && typeof body.detail === 'string') return [`error: ${body.detail}`];
  const lines: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const field = prefix === '' ? key : `${prefix}.${key}`;
    if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === 'object' && item !== null) lines.push(...errorLines(item as Record<string, unknown>, field));
        else lines.push(`error: ${field}: ${String(item)}`);
      }
    } else if (typeof value === 'object' && value !== null) lines.push(...errorLines(value as Record<string, unknown>, field));
    else lines.push(`error: ${field}: ${String(value)}`);
  }
  return lines;
}
