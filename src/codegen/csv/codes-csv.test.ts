import { describe, expect, it } from 'vitest';
import { CODES_CSV_HEADER, codesCsvRow } from './codes-csv.js';

describe('codes.csv', () => {
  it('has the documented header', () => {
    expect(CODES_CSV_HEADER).toBe('extended_id,serial_number,sequence_number,batch_number,url\n');
  });

  it('writes plain rows without quotes', () => {
    expect(
      codesCsvRow({
        extendedId: 'Ab3dE5gH9kLm',
        serialNumber: 'SN-000001',
        sequenceNumber: 1,
        batchNumber: 1,
        url: 'http://127.0.0.1:8000/q/Ab3dE5gH9kLm',
      }),
    ).toBe('Ab3dE5gH9kLm,SN-000001,1,1,http://127.0.0.1:8000/q/Ab3dE5gH9kLm\n');
  });

  it('writes a null serial number as an empty field', () => {
    expect(codesCsvRow({ extendedId: 'X', serialNumber: null, sequenceNumber: 20001, batchNumber: 2, url: 'u' })).toBe(
      'X,,20001,2,u\n',
    );
  });

  it('quotes fields containing comma, quote, CR or LF (RFC 4180)', () => {
    const row = codesCsvRow({
      extendedId: 'a,b',
      serialNumber: 'say "hi"',
      sequenceNumber: 3,
      batchNumber: 1,
      url: 'line1\r\nline2',
    });
    expect(row).toBe('"a,b","say ""hi""",3,1,"line1\r\nline2"\n');
    expect(codesCsvRow({ extendedId: 'x', serialNumber: 'cr\r', sequenceNumber: 1, batchNumber: 1, url: 'lf\n' })).toBe(
      'x,"cr\r",1,1,"lf\n"\n',
    );
    expect(codesCsvRow({ extendedId: 'x', serialNumber: '', sequenceNumber: 1, batchNumber: 1, url: 'u' })).toBe('x,,1,1,u\n');
  });
});
