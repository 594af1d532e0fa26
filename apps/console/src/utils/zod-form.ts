import type { ZLoginRequest } from '@cunwu/contract';
import { pickBilingual, translate } from '@/i18n';

/** A zod issue, typed through the contract so the console needs no direct zod dependency. */
export type TZodIssue = NonNullable<ReturnType<(typeof ZLoginRequest)['safeParse']>['error']>['issues'][number];

/** Field path → message, keyed like `login` or `roles.0.regionCode`. */
export type TFormErrors = Record<string, string>;

/** A localized message for one zod issue; contract messages written `english / 中文` are split by locale. */
export function describeIssue(issue: TZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1 ? translate('form.required') : translate('form.tooShort', { min: Number(issue.minimum) });
      }
      if (issue.origin === 'array') return translate('form.tooFewItems', { min: Number(issue.minimum) });
      return translate('form.tooSmall', { min: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return translate('form.tooLong', { max: Number(issue.maximum) });
      if (issue.origin === 'array') return translate('form.tooManyItems', { max: Number(issue.maximum) });
      return translate('form.tooBig', { max: Number(issue.maximum) });
    case 'invalid_type':
      return translate('form.required');
    case 'invalid_value':
      return translate('form.chooseOne');
    case 'invalid_format':
      // The contract's regexes carry bilingual messages; zod's generic one is replaced.
      return issue.message.includes(' / ') ? pickBilingual(issue.message) : translate('form.badFormat');
    default:
      return pickBilingual(issue.message);
  }
}

/** Map zod issues onto form fields (first issue per field wins). */
export function issuesToFormErrors(issues: readonly TZodIssue[]): TFormErrors {
  const errors: TFormErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_form';
    errors[key] ??= describeIssue(issue);
  }
  return errors;
}
