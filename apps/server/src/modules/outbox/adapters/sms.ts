import { maskPhone } from '@cunwu/contract';
import type { TOutboxAdapter } from './types';

/** Longest text we hand to the SMS driver (several concatenated SMS; a notice links to the rest). */
const SMS_MAX_CHARS = 300;

/** The message as one SMS text: signature, title, body, shortened. */
export function smsText(payload: { title?: string | null; body: string; link?: string | null }, publicUrl: string): string {
  const link = payload.link ? (payload.link.startsWith('/') ? `${publicUrl}${payload.link}` : payload.link) : '';
  const head = `【村务监督】${payload.title ? `${payload.title}：` : ''}`;
  const room = SMS_MAX_CHARS - head.length - (link ? link.length + 1 : 0);
  const body = Array.from(payload.body.replace(/\s+/g, ' ').trim());
  const text = body.length > room ? `${body.slice(0, Math.max(0, room - 1)).join('')}…` : body.join('');
  return `${head}${text}${link ? ` ${link}` : ''}`;
}

/** SMS through the configured driver (`services.sms`; the default writes to the log with the phone masked). */
export function createSmsAdapter(): TOutboxAdapter {
  return {
    channel: 'sms',
    async deliver(message, ctx) {
      const phone = message.payload.phone;
      if (!phone || !/^1[3-9]\d{9}$/.test(phone)) return { outcome: 'dead', error: 'no valid addressee' };
      try {
        await ctx.services.sms.send(phone, smsText(message.payload, ctx.publicUrl));
        return { outcome: 'delivered' };
      } catch (error) {
        // The driver's error may quote the number; only the masked form may reach last_error.
        const text = error instanceof Error ? error.message : String(error);
        return { outcome: 'retry', error: `sms driver: ${text.split(phone).join(maskPhone(phone)).slice(0, 300)}` };
      }
    },
  };
}
