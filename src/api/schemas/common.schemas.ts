import { Type, type Static, type TSchema } from 'typebox';

/** `T | null`, as one JSON-Schema type list (so ajv's type coercion keeps working). */
export function Nullable<T extends TSchema>(schema: T) {
  const base = schema as unknown as { type?: string | string[] };
  const types = Array.isArray(base.type) ? base.type : [base.type ?? 'string'];
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [...types, 'null'] });
}

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Page size (default 20, at most 1000).' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1, description: 'Index of the first result (default 0).' })),
};

export const DetailError = Type.Object({ detail: Type.String() }, { description: 'DRF-style error: `{"detail": "…"}`' });
export const ThrottledBody = Type.Object({ detail: Type.String(), code: Type.String() }, {
  description: '`{"detail": "Request was throttled. Expected available in N seconds.", "code": "throttled"}` with Retry-After',
});
export const FieldErrorsBody = Type.Record(Type.String(), Type.Unknown(), {
  description: 'DRF-style validation error: `{"field": ["message", …], "non_field_errors": [...]}`',
});

export function paginated<T extends TSchema>(item: T) {
  return Type.Object({
    count: Type.Integer(),
    next: Nullable(Type.String({ format: 'uri' })),
    previous: Nullable(Type.String({ format: 'uri' })),
    results: Type.Array(item),
  });
}
