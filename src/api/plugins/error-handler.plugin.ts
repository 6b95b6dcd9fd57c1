import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type AppErrorCode } from '../../shared/app-error.js';
import { mergeStrictScalarErrors } from './strict-scalars.plugin.js';

/** The one table from error codes to HTTP statuses. */
const STATUS: Record<AppErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_AUTHENTICATED: 401,
  AUTHENTICATION_FAILED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ARCHIVE_NOT_READY: 404,
  ARCHIVE_REMOVED: 410,
  THROTTLED: 429,
  INTERNAL: 500,
};

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  data?: unknown;
}

/** Renders every error as Django REST Framework would: `{"detail": …}` or `{"field": ["…"]}`. */
export function registerErrorHandler(app: FastifyInstance, options: { isBusyError: (error: unknown) => boolean }): void {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      const status = STATUS[error.code];
      if (error.code === 'VALIDATION_FAILED') return reply.status(status).send(error.details.fields ?? { non_field_errors: [error.message] });
      if (error.code === 'THROTTLED' && error.details.retryAfterSeconds !== undefined) {
        reply.header('Retry-After', String(error.details.retryAfterSeconds));
        return reply.status(status).send({ detail: error.message, code: 'throttled' });
      }
      if (status === 401) reply.header('WWW-Authenticate', 'UAT realm="api"');
      if (status >= 500) request.log.error({ err: error }, 'internal error');
      return reply.status(status).send({ detail: error.message });
    }
    const fastifyError = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
    if (fastifyError.validation) {
      // A malformed id in the path means no such resource, as with DRF's URL patterns.
      if (fastifyError.validationContext === 'params') return reply.status(404).send({ detail: 'Not found.' });
      return reply.status(400).send(mergeStrictScalarErrors(request, drfValidationBody(fastifyError.validation)));
    }
    if (options.isBusyError(error)) {
      request.log.warn({ err: error }, 'database busy');
      reply.header('Retry-After', '1');
      return reply.status(503).send({ detail: 'The service is busy. Please retry in a moment.' });
    }
    const status = fastifyError.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(500).send({ detail: 'A server error occurred.' });
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({ detail: `Unsupported media type "${request.headers['content-type'] ?? ''}" in request.` });
    }
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ detail: 'Request body is too large.' });
    if (status === 429) return reply.status(429).send({ detail: fastifyError.message, code: 'throttled' });
    return reply.status(status).send({ detail: fastifyError.message });
  });

  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ detail: 'Not found.' }));
}

const TYPE_MESSAGES: Record<string, string> = {
  integer: 'A valid integer is required.',
  number: 'A valid number is required.',
  boolean: 'Must be a valid boolean.',
  string: 'Not a valid string.',
  array: 'Expected a list of items.',
  object: 'Invalid data. Expected a dictionary.',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'dict' : typeof value;
}

function messageFor(error: AjvError): string {
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return 'This field is required.';
    case 'type': {
      if (error.data === null) return 'This field may not be null.';
      const expected = String(p.type).split(',').find((t) => t !== 'null') ?? String(p.type);
      return TYPE_MESSAGES[expected] ?? `Expected ${expected}.`;
    }
    case 'enum':
      return `"${String(error.data)}" is not a valid choice.`;
    case 'minimum':
      return `Ensure this value is greater than or equal to ${String(p.limit)}.`;
    case 'maximum':
      return `Ensure this value is less than or equal to ${String(p.limit)}.`;
    case 'minLength':
      return Number(p.limit) === 1 ? 'This field may not be blank.' : `Ensure this field has at least ${String(p.limit)} characters.`;
    case 'maxLength':
      return `Ensure this field has no more than ${String(p.limit)} characters.`;
    case 'maxItems':
      return `Ensure this field has no more than ${String(p.limit)} elements.`;
    case 'format':
      return `Enter a valid ${String(p.format)}.`;
    default:
      return error.message ?? 'Invalid value.';
  }
}

/** Turns ajv errors into DRF's nested `{"field": ["message"]}` shape (`non_field_errors` for the body itself). */
export function drfValidationBody(errors: readonly AjvError[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  // A value of the wrong type gets only the type message (as in DRF), not also "\"[object Object]\" is not a valid choice."
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const error of errors) {
    if (error.keyword !== 'type' && error.keyword !== 'required' && wrongType.has(error.instancePath)) continue;
    const path = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (error.keyword === 'required') path.push(String(error.params.missingProperty));
    if (path.length === 0) {
      const list = (body.non_field_errors ??= []) as string[];
      list.push(`Invalid data. Expected a dictionary, but got ${describe(error.data)}.`);
      continue;
    }
    let node = body;
    for (const segment of path.slice(0, -1)) {
      const next = node[segment];
      node = (typeof next === 'object' && next !== null && !Array.isArray(next) ? next : (node[segment] = {})) as Record<string, unknown>;
    }
    const leaf = path[path.length - 1]!;
    const messages = (Array.isArray(node[leaf]) ? node[leaf] : (node[leaf] = [])) as string[];
    const message = messageFor(error);
    if (!messages.includes(message)) messages.push(message);
  }
  return body;
}
