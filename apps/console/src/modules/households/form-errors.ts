import { errorMessage, isApiError } from '@/api/http';
import { translate } from '@/i18n';
import type { TFormErrors } from '@/utils/zod-form';

/** What a failed save shows: messages on the form's own fields, the rest in an alert above the buttons. */
export interface TServerFormErrors {
  errors: TFormErrors;
  alert: string;
}

/**
 * Spread a failed request over a form. 409 ALREADY_EXISTS answers name the clashing field
 * (`phone`, `idNumber`, `householdNo`), so the message lands under that input.
 */
export function serverFormErrors(error: unknown, fields: readonly string[]): TServerFormErrors {
  if (!isApiError(error)) return { errors: {}, alert: errorMessage(error) };
  const errors: TFormErrors = {};
  const rest: string[] = [];
  for (const e of error.fieldErrors) {
    if (fields.includes(e.field)) errors[e.field] ??= e.reason;
    else rest.push(e.field ? `${e.field}: ${e.reason}` : e.reason);
  }
  if (rest.length > 0) return { errors, alert: rest.join(translate('households.alertSeparator')) };
  return { errors, alert: Object.keys(errors).length > 0 ? '' : error.message };
}
