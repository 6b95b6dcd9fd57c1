import type { Executor } from '../../db/database.js';
import * as scm from '../../db/repositories/scm.repository.js';
import type { CodeEditScope, EditableCode } from '../../db/repositories/scm.repository.js';
import { sequenceOfSerial, serialValueOf } from '../codes/serial-range.js';
import type { DataKey } from './scm.types.js';

/**
 * Finds the codes named by extended IDs or serial numbers (see serial-range.ts) that the scope may change.
 * Returns the codes by the value that named them (a serial shared by two brand owners' codes names both).
 */
export async function findEditableCodes(db: Executor, dataKey: DataKey, values: readonly string[], scope: CodeEditScope): Promise<Map<string, EditableCode[]>> {
  const found = new Map<string, EditableCode[]>();
  const add = (value: string, code: EditableCode) => {
    const list = found.get(value);
    if (list) list.push(code);
    else found.set(value, [code]);
  };
  if (dataKey === 'extended_id') {
    for (const code of await scm.findEditableCodesByExtendedIds(db, [...new Set(values)], scope)) add(code.extended_id, code);
    return found;
  }
  const ranges = await scm.findSerialRanges(db, scope);
  const wanted = new Map<number, Map<number, string[]>>(); // order → sequence → serial texts
  for (const value of new Set(values)) {
    const serial = serialValueOf(value);
    if (serial === null) continue;
    for (const range of ranges) {
      const sequence = sequenceOfSerial(range, serial);
      if (sequence === null) continue;
      const sequences = wanted.get(range.id) ?? new Map<number, string[]>();
      wanted.set(range.id, sequences);
      sequences.set(sequence, [...(sequences.get(sequence) ?? []), value]);
    }
  }
  for (const [workorderId, sequences] of wanted) {
    const range = ranges.find((r) => r.id === workorderId)!;
    for (const code of await scm.findCodesBySequences(db, workorderId, [...sequences.keys()])) {
      const editable = { id: code.id, extended_id: code.extended_id, serial_number: code.serial_number, workorder_id: workorderId, company_id: range.company_id, workorder_state: range.state };
      for (const value of sequences.get(code.sequence_number) ?? []) add(value, editable);
    }
  }
  return found;
}
