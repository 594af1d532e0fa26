import { errorMessage, isApiError } from '@/api/http';
import { translate } from '@/i18n';
import type { TFormErrors } from '@/utils/zod-form';

/** What a failed save shows: messages on the form's own fields, the rest in an alert above the buttons. */
export interface TServerFormErrors {
  errors: TFormErrors;
  alert: string;
}

/**
 * Spread a failed request over a form (the households module's recipe). `rename` maps a request
 * field to the form field showing it (the form types `amount` in yuan, the request sends `amountFen`).
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
  if (rest.length > 0) return { errors, alert: rest.join(translate('finance.alertSeparator')) };
  if (Object.keys(errors).length > 0) return { errors, alert: '' };
  // A refusal without fields (403, 409): the server's own explanation when it gave one.
  return { errors, alert: refusalText(error) };
}

/** The message of a refused request with the server's own explanation when it gave one ("权限不足：不能联审自己录入的支出"). */
export function refusalText(error: unknown): string {
  if (!isApiError(error)) return errorMessage(error);
  if (!error.detail || error.detail === error.message) return error.message;
  // A Chinese detail is the server's own sentence ("不能审核自己录入的明细…"): it says more than the code's title.
  if (/[\u3400-\u9fff]/.test(error.detail)) return error.detail;
  return translate('finance.refusal', { title: error.message, detail: error.detail });
}

/** Fen as the yuan text an amount input shows ('1280.00'), without grouping so it parses back. */
export function fenToYuanText(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const abs = Math.abs(Math.trunc(fen));
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
