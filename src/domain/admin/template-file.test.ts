import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/app-error.js';
import { templateSpecFrom } from './template-file.js';

const fieldsOf = (action: () => unknown) => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).details.fields;
  }
  throw new Error('expected a validation error');
};

describe('templateSpecFrom (sigil template create --file)', () => {
  it('merges the file with the set flags, flags winning', () => {
    expect(templateSpecFrom({ company: 1, name: 'file', size_mm: 10, is_hybrid: null }, { name: 'flag', size_mm: undefined, graphic_cells: 40 }))
      .toEqual({ company: 1, name: 'flag', size_mm: 10, is_hybrid: null, graphic_cells: 40 });
    expect(templateSpecFrom(undefined, { company: 2, name: 'flags only' })).toEqual({ company: 2, name: 'flags only' });
  });

  it('names unknown keys and lists the known ones', () => {
    const fields = fieldsOf(() => templateSpecFrom({ company: 1, name: 'x', codeLayout: 'sg-inside' }, {}));
    expect(Object.keys(fields!)).toEqual(['codeLayout']);
    expect((fields!.codeLayout as string[])[0]).toMatch(/^Unknown field\. Known: company, name, description, code_layout, custom_layout, .*, image_format\.$/);
  });

  it('refuses values of the wrong type, null where not allowed, a non-object file, and a missing company or name', () => {
    expect(fieldsOf(() => templateSpecFrom({ company: 1.5, name: null, is_hybrid: 'no', size_mm: Infinity, partner_permissions: [1] }, {}))).toEqual({
      company: ['A valid integer is required.'],
      name: ['This field may not be null.'],
      is_hybrid: ['Must be a valid boolean.'],
      size_mm: ['A valid number is required.'],
      partner_permissions: ['Expected a list of strings.'],
    });
    expect(fieldsOf(() => templateSpecFrom([], {}))).toEqual({ file: ['Expected a JSON object of template attributes.'] });
    expect(fieldsOf(() => templateSpecFrom({}, {}))).toEqual({
      company: ['This field is required (--company or "company" in the file).'],
      name: ['This field is required (--name or "name" in the file).'],
    });
  });
});
