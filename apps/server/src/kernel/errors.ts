import { ERROR_CODES, type TErrorCode, type TProblem } from '@cunwu/contract';

/** A field-level problem reported with VALIDATION_FAILED. */
export interface TFieldError {
  field: string;
  reason: string;
}

/** The one error type services throw; the HTTP layer turns it into problem+json. */
export class AppError extends Error {
  constructor(
    readonly code: TErrorCode,
    readonly detail?: string,
    readonly fieldErrors?: TFieldError[],
    /** For RATE_LIMITED: when the client may try again (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail ?? ERROR_CODES[code].en);
    this.name = 'AppError';
  }

  /** HTTP status of this error's code. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

/** Shorthand for a validation failure on one field. */
export function invalid(field: string, reason: string): AppError {
  return new AppError('VALIDATION_FAILED', `${field}: ${reason}`, [{ field, reason }]);
}

/** Build the problem+json body for a code. */
export function problemOf(code: TErrorCode, options: { detail?: string; errors?: TFieldError[]; requestId?: string } = {}): TProblem {
  const entry = ERROR_CODES[code];
  return {
    type: `https://cunwu.quanzhou/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: entry.en,
    status: entry.status,
    code,
    message: entry.zh,
    messageEn: entry.en,
    ...(options.detail ? { detail: options.detail } : {}),
    ...(options.errors?.length ? { errors: options.errors } : {}),
    ...(options.requestId ? { requestId: options.requestId } : {}),
  };
}

// Unique constraints whose violation is a user's mistake on one field (e.g. a phone already in use):
// modules register them so the 409 names the field instead of a constraint.
const constraintFields = new Map<string, { field: string; reason: string }>();

/** Name the form field and reason behind a unique constraint. */
export function registerConstraintField(constraint: string, field: string, reason: string): void {
  constraintFields.set(constraint, { field, reason });
}

/**
 * Translate a PostgreSQL error into our vocabulary, or null when it is not one we expect
 * (unique violation → ALREADY_EXISTS, immutability trigger → IMMUTABLE, ...).
 */
export function translatePgError(error: unknown): AppError | null {
  const pgError = error as { code?: string; message?: string; constraint?: string; detail?: string };
  if (typeof pgError?.code !== 'string' || pgError.code.length !== 5) return null;
  switch (pgError.code) {
    case '23505': {
      const known = pgError.constraint ? constraintFields.get(pgError.constraint) : undefined;
      if (known) return new AppError('ALREADY_EXISTS', `${known.field}: ${known.reason}`, [known]);
      return new AppError('ALREADY_EXISTS', pgError.constraint ? `duplicate: ${pgError.constraint}` : undefined);
    }
    case '23503':
      return new AppError('VALIDATION_FAILED', `a referenced record does not exist (${pgError.constraint ?? 'foreign key'})`);
    case '23514':
    case '22P02':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
      return new AppError('VALIDATION_FAILED', pgError.message);
    case '40001':
    case '40P01':
      return new AppError('CONFLICT');
    case 'P0001':
      if (pgError.message?.startsWith('IMMUTABLE')) return new AppError('IMMUTABLE', pgError.message);
      return null;
    default:
      return null;
  }
}
