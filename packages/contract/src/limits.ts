/** Named limits shared by server validation and the apps' forms. */
export const LIMITS = {
  loginMax: 64,
  passwordMin: 8,
  passwordMax: 128,
  nameMax: 32,
  otpLength: 6,
  /** One-time codes live this long. */
  otpTtlSeconds: 300,
  /** Wrong codes tolerated per issued code. */
  otpMaxAttempts: 5,
  /** Failed password logins before the account locks. */
  loginMaxFailures: 5,
  loginLockMinutes: 15,
  sessionTtlHours: 12,
  villagerSessionTtlDays: 30,
  jsonBodyBytes: 1_048_576,
  pageSizeDefault: 50,
  pageSizeMax: 200,
} as const;
