import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

const redact = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.phone', '*.code', '*.token'],
  censor: '[redacted]',
};

/**
 * The process logger. JSON lines for machines; readable lines when a person watches a terminal
 * (LOG_FORMAT=json forces JSON). Personal data never goes in: tokens, cookies and phones are redacted.
 */
export function createLogger(level: string, format: 'auto' | 'json' | 'pretty' = process.env.LOG_FORMAT === 'json' ? 'json' : 'auto'): Logger {
  const isPretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!isPretty) return pino({ level, redact });
  return pino({ level, redact }, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true }));
}
export type { Logger };
