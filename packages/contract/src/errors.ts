/** Stable error codes every client switches on; the HTTP status and bilingual messages live here. */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, zh: '输入有误', en: 'Invalid input' },
  MALFORMED_JSON: { status: 400, zh: '请求体不是合法的 JSON', en: 'Request body is not valid JSON' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please log in' },
  INVALID_CREDENTIALS: { status: 401, zh: '账号或密码错误', en: 'Wrong login or password' },
  ACCOUNT_LOCKED: { status: 423, zh: '登录失败次数过多，账号已暂时锁定', en: 'Too many failed logins; account temporarily locked' },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'Account disabled' },
  OTP_INVALID: { status: 401, zh: '验证码错误或已过期', en: 'Code is wrong or has expired' },
  PHONE_NOT_REGISTERED: { status: 404, zh: '该手机号未登记为村民', en: 'This phone number is not registered' },
  CSRF_FAILED: { status: 403, zh: '页面已过期，请刷新后重试', en: 'Security token missing or wrong; reload and retry' },
  FORBIDDEN: { status: 403, zh: '无权执行此操作', en: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, zh: '记录不存在', en: 'Not found' },
  ALREADY_EXISTS: { status: 409, zh: '记录已存在', en: 'Already exists' },
  CONFLICT: { status: 409, zh: '数据已被修改，请刷新后重试', en: 'Conflicting change; reload and retry' },
  IMMUTABLE: { status: 409, zh: '已公开的记录不可修改，只能发布更正版本', en: 'Published records cannot be changed; publish a correction' },
  RATE_LIMITED: { status: 429, zh: '操作过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

/** One of the stable error codes. */
export type TErrorCode = keyof typeof ERROR_CODES;

/** RFC 9457 problem+json body as every error response carries it. */
export interface TProblem {
  type: string;
  title: string;
  status: number;
  code: TErrorCode;
  detail?: string;
  /** Chinese message for the user. */
  message: string;
  /** English message. */
  messageEn: string;
  /** Per-field problems for VALIDATION_FAILED. */
  errors?: { field: string; reason: string }[];
  requestId?: string;
}
