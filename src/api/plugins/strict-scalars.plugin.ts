import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, FieldErrorCollector, type FieldErrors } from '../../shared/app-error.js';
import { addRouteHook } from './route-hooks.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Errors found before ajv ran (see below); merged with ajv's own by the error handler. */
    strictScalarErrors: FieldErrors | null;
  }
}

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
}

const typesOf = (schema: SchemaNode): string[] => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []);

/** What DRF's IntegerField takes as text: digits, optionally with a zero fraction ("10", "10.0"); not "1e3". */
const INTEGER_TEXT = /^\s*[-+]?\d+(?:\.0*)?\s*$/;

function collect(schema: SchemaNode, value: unknown, path: string, errors: FieldErrorCollector): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !schema.properties) return;
  for (const [key, child] of Object.entries(schema.properties)) {
    const field = path ? `${path}.${key}` : key;
    const v = (value as Record<string, unknown>)[key];
    const types = typesOf(child);
    if (v === undefined || types.length === 0) continue;
    if (v === null && !types.includes('null')) errors.add(field, 'This field may not be null.');
    else if (typeof v === 'boolean' && !types.includes('boolean')) {
      errors.add(field, types.includes('integer') ? 'A valid integer is required.'
        : types.includes('number') ? 'A valid number is required.' : 'Not a valid string.');
    } else if (typeof v === 'string' && types.includes('integer') && !types.includes('string') && !INTEGER_TEXT.test(v)) {
      errors.add(field, 'A valid integer is required.');
    } else if (types.includes('object')) collect(child, v, field, errors);
  }
}

/**
 * ajv's type coercion (needed to accept `"quantity": "10"`) would also turn `null` into 0 or "", `true`
 * into 1 and "1e3" into 1000. DRF refuses them all: they are noted before ajv sees the body, reported together with
 * ajv's errors when it fails (taking precedence for the same field), or on their own when it passes.
 */
export function registerStrictScalars(app: FastifyInstance): void {
  app.decorateRequest('strictScalarErrors', null);
  // Only routes with a body schema get the two hooks (attached as each route is added).
  app.addHook('onRoute', (route) => {
    const schema = route.schema?.body as SchemaNode | undefined;
    if (!schema) return;
    addRouteHook(route, 'preValidation', async (request: FastifyRequest) => {
      const errors = new FieldErrorCollector();
      collect(schema, request.body, '', errors);
      if (errors.has()) request.strictScalarErrors = errors.toJSON();
    });
    addRouteHook(route, 'preHandler', async (request: FastifyRequest) => {
      if (request.strictScalarErrors) throw AppError.validation(request.strictScalarErrors);
    });
  });
}

/** ajv's errors with the strict ones laid over them (a field the strict check flagged keeps only its message). */
export function mergeStrictScalarErrors(request: FastifyRequest, ajvErrors: Record<string, unknown>): Record<string, unknown> {
  const strict = request.strictScalarErrors;
  if (!strict) return ajvErrors;
  const merge = (base: Record<string, unknown>, over: FieldErrors): Record<string, unknown> => {
    const out = { ...base };
    for (const [key, value] of Object.entries(over)) {
      const existing = out[key];
      out[key] = Array.isArray(value) || typeof existing !== 'object' || existing === null || Array.isArray(existing)
        ? value : merge(existing as Record<string, unknown>, value);
    }
    return out;
  };
  return merge(ajvErrors, strict);
}
