import { errorMessage, isApiError } from '@/api/http';
import { translate } from '@/i18n';
import { hasChinese } from '@/utils/labels';
import type { TFormErrors } from '@/utils/zod-form';

/** What a failed save shows: messages on the form's own fields, the rest in an alert above the buttons. */
export interface TServerFormErrors {
  errors: TFormErrors;
  alert: string;
}

/**
 * Spread a failed request over a form, the server-side twin of `issuesToFormErrors`. A field error
 * lands under the form field of the same name or of its first segment (`roles.0.regionCode` under
 * `roles`); `rename` maps request fields to the form field showing them (the form types `amount` in
 * yuan, the request sends `amountFen`). 409 ALREADY_EXISTS answers name the clashing field (`phone`,
 * `householdNo`), so the message lands under that input. Everything else goes into the alert.
 */
export function serverFormErrors(error: unknown, fields: readonly string[], rename: Record<string, string> = {}): TServerFormErrors {
  if (!isApiError(error)) return { errors: {}, alert: errorMessage(error) };
  const errors: TFormErrors = {};
  const rest: string[] = [];
  for (const e of error.fieldErrors) {
    const top = e.field.split('.')[0] ?? '';
    const field = rename[e.field] ?? rename[top] ?? (fields.includes(e.field) ? e.field : fields.includes(top) ? top : null);
    if (field) errors[field] ??= e.reason;
    else rest.push(e.field ? `${e.field}: ${e.reason}` : e.reason);
  }
  if (rest.length > 0) return { errors, alert: rest.join(translate('form.alertSeparator')) };
  if (Object.keys(errors).length > 0) return { errors, alert: '' };
  // A refusal without fields (403, 409 on a state change): the server's own explanation when it gave one.
  return { errors, alert: refusalText(error) };
}

/**
 * The message of a refused request with the server's own explanation when it gave one
 * ("权限不足：不能联审自己录入的支出"), for toasts and alerts outside forms too.
 */
export function refusalText(error: unknown): string {
  if (!isApiError(error)) return errorMessage(error);
  if (!error.detail || error.detail === error.message) return error.message;
  // A Chinese detail is the server's own sentence ("只有草稿可以修改"): it says more than the code's title.
  if (hasChinese(error.detail)) return error.detail;
  return translate('form.refusal', { title: error.message, detail: error.detail });
}
