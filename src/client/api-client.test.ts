import { describe, expect, it } from 'vitest';
import { ApiClient, errorLines } from './api-client.js';

describe('errorLines', () => {
  it('prints DRF field errors as field lines, nested keys joined with dots, and a detail as itself', () => {
    expect(errorLines({ quantity: ['Too big.', 'Not even.'], non_field_errors: ['Bad state.'] }))
      .toEqual(['error: quantity: Too big.', 'error: quantity: Not even.', 'error: non_field_errors: Bad state.']);
    expect(errorLines({ items: { 3: { extended_id: ['No such code.'] } }, data: { remarks: ['Too long.'] } }))
      .toEqual(['error: items.3.extended_id: No such code.', 'error: data.remarks: Too long.']);
    expect(errorLines({ detail: 'Request was throttled. Expected available in 3 seconds.', code: 'throttled' }))
      .toEqual(['error: Request was throttled. Expected available in 3 seconds.']);
  });
});

describe('ApiClient.url', () => {
  it('keeps a base path and leaves out unset query values', () => {
    const api = new ApiClient({ url: 'https://example.test/sigil', token: 'k' });
    expect(api.url('/api/v2/workorders/', { state: 'ready to print', limit: 5, search: undefined }))
      .toBe('https://example.test/sigil/api/v2/workorders/?state=ready+to+print&limit=5');
  });
});
