import pino, { type Logger } from 'pino';

/** The process logger. Personal data never goes in: tokens, cookies and phones are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.phone', '*.code', '*.token'],
      censor: '[redacted]',
    },
  });
}
export type { Logger };
