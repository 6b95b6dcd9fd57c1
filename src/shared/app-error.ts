/**
 * The one error type services throw. `code` is stable and documented; the API error plugin alone maps
 * codes to HTTP statuses and bodies. Validation errors carry DRF-style field messages.
 */
export type AppErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_AUTHENTICATED'
  | 'AUTHENTICATION_FAILED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ARCHIVE_NOT_READY'
  | 'ARCHIVE_REMOVED'
  | 'THROTTLED'
  | 'INTERNAL';

/**
 * `{"field": ["message", …]}`; cross-field and state rules use the key `non_field_errors`; errors inside
 * a nested object nest the same way (`{"data": {"remarks": ["…"]}}`).
 */
export interface FieldErrors {
  [field: string]: string[] | FieldErrors;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: { fields?: FieldErrors; retryAfterSeconds?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  static validation(fields: FieldErrors): AppError {
    return new AppError('VALIDATION_FAILED', 'Invalid input.', { fields });
  }

  static field(field: string, message: string): AppError {
    return AppError.validation({ [field]: [message] });
  }

  /** A rule about the object's state rather than one field (DRF `non_field_errors`). */
  static state(message: string): AppError {
    return AppError.validation({ non_field_errors: [message] });
  }

  static notFound(message = 'Not found.'): AppError {
    return new AppError('NOT_FOUND', message);
  }

  static forbidden(message = 'You do not have permission to perform this action.'): AppError {
    return new AppError('PERMISSION_DENIED', message);
  }
}

/** Collects field errors so a request reports every problem at once. */
export class FieldErrorCollector {
  private readonly errors: FieldErrors = {};

  /** `field` may be a dotted path into a nested object (`data.remarks`). */
  add(field: string, message: string): void {
    const path = field.split('.');
    let node = this.errors;
    for (const segment of path.slice(0, -1)) {
      const next = node[segment];
      node = next !== undefined && !Array.isArray(next) ? next : (node[segment] = {});
    }
    const leaf = path[path.length - 1]!;
    const messages = node[leaf];
    if (Array.isArray(messages)) messages.push(message);
    else node[leaf] = [message];
  }

  has(field?: string): boolean {
    return field === undefined ? Object.keys(this.errors).length > 0 : field in this.errors;
  }

  toJSON(): FieldErrors {
    return this.errors;
  }

  throwIfAny(): void {
    if (this.has()) throw AppError.validation(this.errors);
  }
}
