import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

/** Requests a code export, waits for it, and downloads it through its signed link; returns the CSV's lines. */
export async function exportCodes(t: TestApp, token: string, query = '', timeoutMs = 60_000): Promise<{ key: string; lines: string[]; document: any }> {
  const started = await t.call('GET', `/api/v2/codes/download/${query ? `?${query}` : ''}`, token);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const key = started.body.document.key as string;
  const deadline = Date.now() + timeoutMs;
  let document: any;
  for (;;) {
    document = (await t.call('GET', `/api/v2/documents/${key}/`, token)).body;
    if (document.state === 'complete' || document.state === 'failed') break;
    if (Date.now() > deadline) throw new Error(`document ${key} still ${document.state}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(document.state).toBe('complete');
  const link = await t.call('GET', `/api/v2/documents/${key}/get-download-link/`, token);
  expect(link.status).toBe(200);
  const url = new URL(link.body.url);
  const file = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
  expect(file.statusCode, file.body.slice(0, 200)).toBe(200);
  expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
  return { key, lines: file.body.split('\n').filter((line) => line !== ''), document };
}
