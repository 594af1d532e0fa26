import { errorMessage, isApiError } from '@/api/http';
import type { TFormErrors } from '@/utils/zod-form';

/** What a failed request shows: messages under the form's own fields, the rest (a refusal, a 409) above the buttons. */
export function serverFormErrors(error: unknown, fields: readonly string[]): { errors: TFormErrors; alert: string } {
  if (!isApiError(error)) return { errors: {}, alert: errorMessage(error) };
  const errors: TFormErrors = {};
  const rest: string[] = [];
  for (const e of error.fieldErrors) {
    if (fields.includes(e.field)) errors[e.field] ??= e.reason;
    else rest.push(e.reason);
  }
  if (rest.length > 0) return { errors, alert: rest.join('；') };
  if (Object.keys(errors).length > 0) return { errors, alert: '' };
  // A state refusal carries the server's reason ("只有草稿可以修改"); prefer it over the code's title.
  return { errors, alert: error.detail ?? error.message };
}

/** The server's reason for a refused action, else the error's message. */
export function refusalMessage(error: unknown): string {
  return isApiError(error) ? (error.detail ?? error.message) : errorMessage(error);
}
