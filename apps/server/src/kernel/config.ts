import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Booleans from the environment: true/1/yes and false/0/no. */
const zBool = z.preprocess((value) => (typeof value === 'string' ? ['true', '1', 'yes'].includes(value.trim().toLowerCase()) : value), z.boolean());

/** Every setting the server reads, with its default; documented in the README. */
const ZConfig = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().default('0.0.0.0'),
  dataDir: z.string().default('./data'),
  databaseUrl: z.string().url().optional(),
  /** Port of the embedded PostgreSQL when DATABASE_URL is not set. */
  pgPort: z.coerce.number().int().min(1024).max(65535).default(54329),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public URL printed at start and used in links sent to groups. */
  publicUrl: z.string().url().optional(),
  cookieSecure: zBool.default(false),
  trustProxy: zBool.default(false),
  smsDriver: z.enum(['log']).default('log'),
  /** Start pg-boss and the scheduled jobs in this process. */
  jobs: zBool.default(true),
  /** Load the demo data on the first start of an empty database. */
  seedDemo: zBool.default(true),
  /** Key for keyed hashes of ID numbers and OTP codes (base64, ≥ 32 bytes); generated into DATA_DIR if absent. */
  secretKey: z.string().optional(),
  /** Ed25519 seed of the ledger signing key (base64, 32 bytes); generated into DATA_DIR if absent. */
  ledgerSigningKey: z.string().optional(),
  /** Origin line of ledger checkpoints (C2SP tlog-checkpoint). */
  ledgerOrigin: z.string().default('cunwu.quanzhou/ledger'),
  /** Minutes between scheduled checkpoints when the log grew. */
  ledgerCheckpointMinutes: z.coerce.number().int().min(1).max(60).default(5),
  /** Hosts a group's 企业微信 robot webhook may point at (comma-separated); keeps the server from being aimed at internal addresses. */
  wecomWebhookHosts: z.string().default('qyapi.weixin.qq.com').transform((v) => v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)),
  /** Seconds region pages (counts) may be served from memory; 0 turns the cache off. */
  regionCacheSeconds: z.coerce.number().int().min(0).max(3600).default(5),
});
/** Validated configuration. */
export type TConfig = z.infer<typeof ZConfig>;

const ENV_NAMES: Record<keyof TConfig, string> = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  pgPort: 'PG_PORT',
  logLevel: 'LOG_LEVEL',
  publicUrl: 'PUBLIC_URL',
  cookieSecure: 'COOKIE_SECURE',
  trustProxy: 'TRUST_PROXY',
  smsDriver: 'SMS_DRIVER',
  jobs: 'JOBS',
  seedDemo: 'SEED_DEMO',
  secretKey: 'SECRET_KEY',
  ledgerSigningKey: 'LEDGER_SIGNING_KEY',
  ledgerOrigin: 'LEDGER_ORIGIN',
  ledgerCheckpointMinutes: 'LEDGER_CHECKPOINT_MINUTES',
  regionCacheSeconds: 'REGION_CACHE_SECONDS',
  wecomWebhookHosts: 'WECOM_WEBHOOK_HOSTS',
};

/** Thrown when configuration is invalid; main prints it and exits non-zero. */
export class ConfigError extends Error {}

/**
 * Load configuration: the optional JSON file (CONFIG_FILE, else ./config.json) first, the environment
 * on top. Booleans accept true/false/1/0.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TConfig {
  const filePath = env.CONFIG_FILE ?? 'config.json';
  let fromFile: Record<string, unknown> = {};
  if (existsSync(filePath)) {
    try {
      fromFile = JSON.parse(readFileSync(filePath, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`配置文件 ${filePath} 不是合法的 JSON / config file is not valid JSON: ${(error as Error).message}`);
    }
  } else if (env.CONFIG_FILE) {
    throw new ConfigError(`配置文件不存在 / config file not found: ${filePath}`);
  }
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const parsed = ZConfig.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path[0] as keyof TConfig | undefined;
      return `  ${key ? ENV_NAMES[key] ?? String(key) : '?'}: ${issue.message}`;
    });
    throw new ConfigError(`配置有误 / invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) };
}
