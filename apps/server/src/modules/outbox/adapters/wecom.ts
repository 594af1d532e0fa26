import type { TOutboundPayload } from '../outbox.types';
import type { TDeliveryResult, TOutboxAdapter } from './types';

/**
 * 企业微信 group robot (群机器人) webhook: `POST <webhook url>` with a JSON message, answered by
 * `{"errcode":0,"errmsg":"ok"}` or an error code. Limits: 20 messages per minute per robot; markdown
 * content ≤ 4096 bytes, text ≤ 2048 bytes (UTF-8).
 *
 * At-least-once edge: the robot API has no idempotency key. When the robot accepted a message but
 * its answer was lost (timeout, reset), we cannot tell and send it again on the next attempt, so a
 * group may rarely see a notice twice. The outbox guarantees the rest: one row per business change
 * and channel, one worker per row at a time, and a row is only re-claimed after its lease expired.
 */

/** Answers worth retrying: system busy (-1), frequency limit (45009), concurrency limit (45033). */
const RETRYABLE_ERRCODES = new Set([-1, 45009, 45033]);
const MARKDOWN_MAX_BYTES = 4096;
const TEXT_MAX_BYTES = 2048;
const ANSWER_MAX_BYTES = 64 * 1024;

/** Cut a string to at most `maxBytes` of UTF-8, ending with … when cut. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const ellipsis = '…';
  let bytes = Buffer.byteLength(ellipsis, 'utf8');
  let out = '';
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    out += ch;
  }
  return out + ellipsis;
}

/** A link as the robot can open it: http(s) as is, app paths under PUBLIC_URL, anything else dropped. */
export function absoluteLink(link: string | null | undefined, publicUrl: string): string | null {
  if (!link) return null;
  if (/^https?:\/\//i.test(link)) return link;
  if (link.startsWith('/') && !link.startsWith('//')) return `${publicUrl.replace(/\/$/, '')}${link}`;
  return null;
}

/** The JSON the robot receives for a payload. */
export function wecomMessage(payload: TOutboundPayload, publicUrl: string): Record<string, unknown> {
  const link = absoluteLink(payload.link, publicUrl);
  const format = payload.format === 'news' && !link ? 'markdown' : (payload.format ?? 'markdown');
  if (format === 'text') {
    const tail = link ? `\n${link}` : '';
    const head = payload.title ? `${payload.title}\n` : '';
    const room = TEXT_MAX_BYTES - Buffer.byteLength(head + tail, 'utf8');
    return { msgtype: 'text', text: { content: `${head}${truncateUtf8(payload.body, room)}${tail}` } };
  }
  if (format === 'news') {
    return {
      msgtype: 'news',
      news: { articles: [{ title: truncateUtf8(payload.title ?? payload.body, 128), description: truncateUtf8(payload.body, 512), url: link }] },
    };
  }
  const tail = link ? `\n[查看详情](${link})` : '';
  const head = payload.title ? `**${payload.title}**\n` : '';
  const room = MARKDOWN_MAX_BYTES - Buffer.byteLength(head + tail, 'utf8');
  return { msgtype: 'markdown', markdown: { content: `${head}${truncateUtf8(payload.body, room)}${tail}` } };
}

/**
 * In-process token bucket per webhook: `perMinute` tokens, refilled continuously. Another server
 * process has its own bucket; the robot then answers 45009 and the message is retried.
 */
export function createRateLimiter(perMinute: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  return {
    /** Take a token: 0 when taken, else the milliseconds until one is available. */
    take(key: string, nowMs: number): number {
      const bucket = buckets.get(key) ?? { tokens: perMinute, at: nowMs };
      bucket.tokens = Math.min(perMinute, bucket.tokens + Math.max(0, nowMs - bucket.at) * perMs);
      bucket.at = nowMs;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      // Full buckets carry no information; forgetting them keeps the map small.
      if (buckets.size > 10_000) for (const [k, b] of buckets) if (b.tokens >= perMinute - 1) buckets.delete(k);
      return Math.ceil((1 - bucket.tokens) / perMs);
    },
  };
}

/** A credential must never reach last_error: the webhook key is cut from anything we store. */
function scrub(text: string): string {
  return text.replace(/key=[^&\s"']+/gi, 'key=***').slice(0, 300);
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 3600) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.min(at - Date.now(), 3_600_000));
}

/** Options of the robot adapter (tests shorten the timeout). */
export interface TWecomOptions {
  timeoutMs?: number;
  perMinute?: number;
}

/** The 企业微信 robot adapter. */
export function createWecomAdapter(options: TWecomOptions = {}): TOutboxAdapter {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const limiter = createRateLimiter(options.perMinute ?? 20);
  return {
    channel: 'wecom',
    async deliver(message, ctx): Promise<TDeliveryResult> {
      if (message.groupId && !message.isGroupActive) return { outcome: 'dead', error: 'group is no longer active / 群已停用' };
      const url = message.webhookUrl;
      if (!url) return { outcome: 'dead', error: 'the group has no robot webhook / 群未配置机器人' };
      if (!/^https?:\/\//i.test(url)) return { outcome: 'dead', error: 'webhook is not an http(s) URL' };
      const wait = limiter.take(url, ctx.now.getTime());
      if (wait > 0) return { outcome: 'deferred', retryAt: new Date(ctx.now.getTime() + wait) };

      let response: Response;
      let answer: string;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(wecomMessage(message.payload, ctx.publicUrl)),
          // Never follow a redirect: the robot does not redirect, and following one would let a
          // mistyped webhook send group content somewhere else.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        answer = (await response.text()).slice(0, ANSWER_MAX_BYTES);
      } catch (error) {
        const e = error as { name?: string; cause?: { code?: string }; message?: string };
        if (e.name === 'TimeoutError' || e.name === 'AbortError') return { outcome: 'retry', error: `timeout after ${timeoutMs} ms` };
        return { outcome: 'retry', error: scrub(`network: ${e.cause?.code ?? e.message ?? 'error'}`) };
      }
      if (response.status === 429 || response.status === 408 || response.status >= 500) {
        return { outcome: 'retry', error: `HTTP ${response.status}`, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
      }
      if (response.status < 200 || response.status >= 300) return { outcome: 'dead', error: `HTTP ${response.status}` };
      let parsed: { errcode?: unknown; errmsg?: unknown };
      try {
        parsed = JSON.parse(answer) as typeof parsed;
      } catch {
        return { outcome: 'retry', error: 'answer is not JSON' };
      }
      const errcode = typeof parsed.errcode === 'number' ? parsed.errcode : Number.NaN;
      if (errcode === 0) return { outcome: 'delivered' };
      const error = scrub(`errcode ${Number.isNaN(errcode) ? '?' : errcode}: ${typeof parsed.errmsg === 'string' ? parsed.errmsg : ''}`);
      // The frequency limit is per minute: waiting less only burns attempts.
      if (RETRYABLE_ERRCODES.has(errcode)) return { outcome: 'retry', error, retryAfterMs: errcode === 45009 ? 60_000 : undefined };
      if (Number.isNaN(errcode)) return { outcome: 'retry', error };
      // Invalid or removed robot (93000), bad key (40001…), bad message: sending again cannot help.
      return { outcome: 'dead', error };
    },
  };
}
