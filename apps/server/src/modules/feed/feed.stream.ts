import type { ServerResponse } from 'node:http';
import type { TServices } from '../../kernel/services';
import { presentFeedItem, type TFeedViewer } from './feed.present';
import type { TFeedPosition, TFeedRow } from './feed.repo';
import * as service from './feed.service';

/** Comment line every so often, so proxies and phones keep an idle stream open. */
export const HEARTBEAT_MS = 25_000;
/**
 * A stream ends after this long (±10 %); EventSource reconnects with Last-Event-ID at once. That
 * re-checks the session and the membership, which a connection open for days would never do.
 */
const MAX_STREAM_MS = 15 * 60_000;
/** Items replayed on reconnect at most; beyond that the client is told to reload the feed. */
const REPLAY_MAX = 500;
// A client that does not read (a dead phone on a live TCP connection) is cut off past this much.
const MAX_BUFFERED_BYTES = 1024 * 1024;
const SENT_IDS_KEPT = 500;
/** Open streams one user may hold in one process (a few tabs and phones; not a thousand sockets). */
export const MAX_STREAMS_PER_USER = 8;

// created_at is the start of the inserting transaction, so a message that committed late may sort
// before one already sent: live delivery (by notification) still sends it; only a replay after a
// disconnect could miss it. Clients drop duplicates by id and reload the page on `event: reset`.
function isAfter(a: TFeedPosition, b: TFeedPosition): boolean {
  return a.at > b.at || (a.at === b.at && a.id > b.id);
}

/** One open SSE connection on a group's feed. */
class FeedStream {
  private readonly sentIds = new Set<string>();
  private pending: TFeedRow[] | null = [];
  private isClosed = false;
  /** The newest position sent (or the feed's newest when the stream opened): catch-up starts here. */
  last: TFeedPosition | undefined;

  constructor(
    readonly groupId: string,
    readonly viewer: TFeedViewer,
    private readonly raw: ServerResponse,
    private readonly onClose: () => void,
  ) {}

  /** Write raw SSE text; false when the connection is gone. */
  write(text: string): boolean {
    if (this.isClosed || this.raw.destroyed) return false;
    if (this.raw.writableLength > MAX_BUFFERED_BYTES) {
      this.raw.destroy();
      return false;
    }
    this.raw.write(text);
    return true;
  }

  /** Send a live item (once), or hold it until the replay has been sent. */
  push(row: TFeedRow): void {
    if (this.pending) this.pending.push(row);
    else this.send(row);
  }

  /** Send items missed while disconnected, ahead of anything held. */
  replay(rows: TFeedRow[]): void {
    for (const row of rows) this.send(row);
  }

  private send(row: TFeedRow): void {
    if (this.sentIds.has(row.id)) return;
    this.sentIds.add(row.id);
    if (this.sentIds.size > SENT_IDS_KEPT) this.sentIds.delete(this.sentIds.values().next().value!);
    const position = { at: row.cursorAt, id: row.id };
    if (!this.last || isAfter(position, this.last)) this.last = position;
    this.write(`id: ${row.id}\nevent: message\ndata: ${JSON.stringify(presentFeedItem(row, this.viewer))}\n\n`);
  }

  /** The replay is out: send what arrived meanwhile (duplicates dropped by id). */
  release(): void {
    const held = this.pending ?? [];
    this.pending = null;
    for (const row of held) this.send(row);
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    if (!this.raw.destroyed) this.raw.end();
    this.onClose();
  }
}

interface TGroupChannel {
  streams: Set<FeedStream>;
  unsubscribe: (() => void) | null;
  /** Loads run one after another, so items go out in the order their notifications arrived. */
  chain: Promise<void>;
}

/**
 * The process's live feeds: one LISTEN per group with open streams, however many viewers; each
 * notification (`{"id"}`) is loaded once and written to every local stream of that group, presented
 * for its viewer. A message posted through any server process reaches every stream, because the
 * NOTIFY travels through PostgreSQL.
 */
export function createFeedHub(services: TServices) {
  const channels = new Map<string, TGroupChannel>();

  const enqueue = (channel: TGroupChannel, work: () => Promise<void>) => {
    channel.chain = channel.chain.then(work).catch((error: unknown) => services.log.warn({ err: error }, 'feed stream delivery failed'));
  };

  const onNotification = (groupId: string, payload: string) => {
    const channel = channels.get(groupId);
    if (!channel) return;
    let id: unknown;
    try {
      id = (JSON.parse(payload) as { id?: unknown }).id;
    } catch {
      return;
    }
    if (typeof id !== 'string') return;
    enqueue(channel, async () => {
      if (channel.streams.size === 0) return;
      const [row] = await service.feedItems(services, groupId, [id]);
      if (row) for (const stream of channel.streams) stream.push(row);
    });
  };

  /** After the listener reconnected, each stream reads what it may have missed. */
  const onReconnect = (groupId: string) => {
    const channel = channels.get(groupId);
    if (!channel) return;
    enqueue(channel, async () => {
      for (const stream of channel.streams) {
        if (!stream.last) continue;
        for (const row of await service.feedAfter(services, groupId, stream.last, REPLAY_MAX)) stream.push(row);
      }
    });
  };

  const detach = (stream: FeedStream) => {
    const channel = channels.get(stream.groupId);
    if (!channel) return;
    channel.streams.delete(stream);
    if (channel.streams.size === 0) {
      channels.delete(stream.groupId);
      channel.unsubscribe?.();
    }
  };

  const attach = async (stream: FeedStream) => {
    let channel = channels.get(stream.groupId);
    if (!channel) {
      const created: TGroupChannel = { streams: new Set(), unsubscribe: null, chain: Promise.resolve() };
      channel = created;
      channels.set(stream.groupId, created);
      const subscribed = services.notifier
        ? services.notifier.subscribe(service.feedChannel(stream.groupId), (payload) => onNotification(stream.groupId, payload), { onReconnect: () => onReconnect(stream.groupId) })
        : Promise.resolve(() => {});
      created.chain = subscribed.then((unsubscribe) => {
        // Everyone may have left while LISTEN was being set up.
        if (channels.get(stream.groupId) === created) created.unsubscribe = unsubscribe;
        else unsubscribe();
      });
    }
    channel.streams.add(stream);
    // Resolves once LISTEN is active: whatever commits after this reaches the stream.
    await channel.chain;
  };

  return {
    /**
     * Stream a group's feed to an HTTP response (already hijacked from Fastify): listen first,
     * then replay what came after Last-Event-ID, then send live items; returns when set up.
     */
    async open(response: ServerResponse, groupId: string, viewer: TFeedViewer, lastEventId: string | undefined): Promise<void> {
      const stream = new FeedStream(groupId, viewer, response, () => {
        clearInterval(heartbeat);
        clearTimeout(expiry);
        detach(stream);
      });
      response.on('close', () => stream.close());
      stream.write('retry: 3000\n\n');
      const heartbeat = setInterval(() => stream.write(': ping\n\n'), HEARTBEAT_MS);
      const expiry = setTimeout(() => stream.close(), MAX_STREAM_MS * (0.9 + Math.random() * 0.2));
      try {
        await attach(stream);
        const from = lastEventId ? await service.feedPosition(services, groupId, lastEventId) : undefined;
        if (from) {
          const missed = await service.feedAfter(services, groupId, from, REPLAY_MAX + 1);
          // Too much missed: the client reloads the page of the feed instead of a flood of events.
          if (missed.length > REPLAY_MAX) stream.write('event: reset\ndata: {}\n\n');
          else stream.replay(missed);
          stream.last ??= from;
        }
        // A stream that has sent nothing catches up from the feed's newest item after a reconnect.
        stream.last ??= await service.latestFeedPosition(services, groupId);
        stream.release();
        stream.write(': ready\n\n');
      } catch (error) {
        services.log.warn({ err: error, groupId }, 'feed stream setup failed');
        stream.close();
      }
    },
    /** How many streams this user has open in this process. */
    streamsOf(userId: string): number {
      let n = 0;
      for (const channel of channels.values()) for (const stream of channel.streams) if (stream.viewer.userId === userId) n++;
      return n;
    },
    /** How many streams are open in this process (for tests and metrics). */
    size(): number {
      let n = 0;
      for (const channel of channels.values()) n += channel.streams.size;
      return n;
    },
    /** End every stream (server shutdown: open streams would otherwise hold the server open). */
    closeAll(): void {
      for (const channel of [...channels.values()]) for (const stream of [...channel.streams]) stream.close();
    },
  };
}
