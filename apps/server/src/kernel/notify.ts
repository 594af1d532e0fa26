import { sql } from 'kysely';
import pg from 'pg';
import type { TTx } from './db';
import type { Logger } from './logger';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; we stay well below. */
export const NOTIFY_PAYLOAD_MAX_BYTES = 7900;
// Channel names are identifiers: at most 63 bytes. We only use plain ASCII names like `feed.<uuid>`.
const CHANNEL_PATTERN = /^[a-z0-9_.:-]{1,63}$/i;

/** Receives the payload (text) of one notification. */
export type TNotificationHandler = (payload: string) => void;

/** Options of one subscription. */
export interface TSubscribeOptions {
  /**
   * Called after the listening connection was lost and re-established: notifications sent while it
   * was down are gone, so the subscriber should re-read what it may have missed.
   */
  onReconnect?: () => void;
}

/**
 * Cross-process fan-out over PostgreSQL LISTEN/NOTIFY: one dedicated listening connection per
 * process, shared by every subscriber; `notify` runs inside the sender's transaction.
 */
export interface TNotifier {
  /**
   * Listen on a channel. Resolves (with the unsubscribe function) once LISTEN is active, so a caller
   * that subscribes and then reads the database misses nothing committed after that read.
   */
  subscribe(channel: string, handler: TNotificationHandler, options?: TSubscribeOptions): Promise<() => void>;
  /** Stop listening and close the connection. */
  close(): Promise<void>;
}

function checkChannel(channel: string): void {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`invalid notification channel: ${channel}`);
}

function encodePayload(payload: string | object): string {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  if (Buffer.byteLength(text, 'utf8') > NOTIFY_PAYLOAD_MAX_BYTES) throw new Error(`notification payload too large (${Buffer.byteLength(text, 'utf8')} bytes); send ids, not content`);
  return text;
}

/**
 * Send a notification inside the caller's transaction: PostgreSQL delivers it only when (and if)
 * the transaction commits, so listeners never hear about rows they cannot read yet.
 */
export async function notify(tx: TTx, channel: string, payload: string | object): Promise<void> {
  checkChannel(channel);
  await sql`SELECT pg_notify(${channel}, ${encodePayload(payload)})`.execute(tx);
}

/** Several notifications in one statement (fan-out to many channels from one business change). */
export async function notifyMany(tx: TTx, notes: { channel: string; payload: string | object }[]): Promise<void> {
  if (notes.length === 0) return;
  notes.forEach((n) => checkChannel(n.channel));
  const channels = notes.map((n) => n.channel);
  const payloads = notes.map((n) => encodePayload(n.payload));
  await sql`SELECT pg_notify(c, p) FROM unnest(${channels}::text[], ${payloads}::text[]) AS n(c, p)`.execute(tx);
}

interface TSubscriber {
  handler: TNotificationHandler;
  onReconnect?: () => void;
}

/**
 * The listening side. Connects lazily on the first subscription (a CLI command that only sends
 * never opens it), reconnects with capped exponential back-off when the connection drops, and
 * re-issues LISTEN for every channel that still has subscribers. LISTEN/UNLISTEN and (re)connects
 * run one at a time through a queue so they never interleave on the connection.
 */
export function createNotifier(url: string, log: Logger, options: { pingMs?: number; maxBackoffMs?: number } = {}): TNotifier {
  const subscribers = new Map<string, Set<TSubscriber>>();
  const pingMs = options.pingMs ?? 30_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  let client: pg.Client | null = null;
  let queue: Promise<void> = Promise.resolve();
  let isStarted = false;
  let isClosed = false;
  let hasConnectedBefore = false;
  let failures = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let pingTimer: NodeJS.Timeout | null = null;

  /** Run one operation after the previous ones; the queue itself never rejects. */
  const enqueue = (operation: () => Promise<void>): Promise<void> => {
    const next = queue.then(operation).catch((error: unknown) => {
      log.warn({ err: error }, 'notifier operation failed');
    });
    queue = next;
    return next;
  };

  const dispatch = (channel: string, payload: string) => {
    for (const subscriber of subscribers.get(channel) ?? []) {
      try {
        subscriber.handler(payload);
      } catch (error) {
        log.error({ err: error, channel }, 'notification handler failed');
      }
    }
  };

  const scheduleReconnect = () => {
    if (isClosed || reconnectTimer) return;
    failures++;
    const base = Math.min(maxBackoffMs, 250 * 2 ** Math.min(failures, 10));
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void enqueue(connect);
    }, delay);
    reconnectTimer.unref();
  };

  /** Forget a broken connection and try again later (only if anyone is still listening). */
  const drop = (broken: pg.Client, reason: unknown) => {
    if (client !== broken) return;
    client = null;
    broken.removeAllListeners('notification');
    broken.on('error', () => {}); // late errors of a dead socket must not crash the process
    void broken.end().catch(() => {});
    if (isClosed) return;
    log.warn({ err: reason }, 'notification listener disconnected; reconnecting');
    scheduleReconnect();
  };

  async function connect(): Promise<void> {
    if (isClosed || client) return;
    const next = new pg.Client({ connectionString: url, keepAlive: true, application_name: 'cunwu-notify' });
    next.on('error', (error) => drop(next, error));
    next.on('end', () => drop(next, new Error('connection ended')));
    next.on('notification', (message) => dispatch(message.channel, message.payload ?? ''));
    try {
      await next.connect();
      for (const channel of subscribers.keys()) await next.query(`LISTEN ${next.escapeIdentifier(channel)}`);
    } catch (error) {
      next.removeAllListeners();
      next.on('error', () => {});
      void next.end().catch(() => {});
      log.warn({ err: error }, 'notification listener could not connect');
      scheduleReconnect();
      return;
    }
    if (isClosed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    failures = 0;
    if (hasConnectedBefore) {
      log.info('notification listener reconnected');
      for (const set of subscribers.values()) for (const s of set) s.onReconnect?.();
    }
    hasConnectedBefore = true;
  }

  const start = () => {
    if (isStarted) return;
    isStarted = true;
    void enqueue(connect);
    // A half-open TCP connection hears nothing and reports nothing; a cheap query finds out.
    pingTimer = setInterval(() => {
      const current = client;
      if (!current) return;
      void enqueue(async () => {
        await current.query('SELECT 1').catch((error: unknown) => drop(current, error));
      });
    }, pingMs);
    pingTimer.unref();
  };

  return {
    async subscribe(channel, handler, subscribeOptions = {}) {
      checkChannel(channel);
      if (isClosed) throw new Error('notifier is closed');
      start();
      const subscriber: TSubscriber = { handler, onReconnect: subscribeOptions.onReconnect };
      let set = subscribers.get(channel);
      if (!set) {
        set = new Set();
        subscribers.set(channel, set);
        await enqueue(async () => {
          // Without a connection the next connect() listens to every channel in the map.
          if (client && subscribers.has(channel)) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
        });
      } else {
        await queue; // the first subscriber's LISTEN may still be in flight
      }
      set.add(subscriber);
      let isActive = true;
      return () => {
        if (!isActive) return;
        isActive = false;
        const current = subscribers.get(channel);
        if (!current) return;
        current.delete(subscriber);
        if (current.size > 0) return;
        subscribers.delete(channel);
        void enqueue(async () => {
          if (client && !subscribers.has(channel)) await client.query(`UNLISTEN ${client.escapeIdentifier(channel)}`);
        });
      };
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (pingTimer) clearInterval(pingTimer);
      subscribers.clear();
      await queue;
      const current = client;
      client = null;
      if (current) {
        current.removeAllListeners();
        current.on('error', () => {});
        await current.end().catch(() => {});
      }
    },
  };
}
