import { maskPhone } from '@cunwu/contract';
import type { Logger } from './logger';

/** Sends text messages; drivers are pluggable (the default writes to the server log). */
export interface TSmsSender {
  send(phone: string, text: string): Promise<void>;
}

/**
 * Log driver for development and the demo: the message goes to the server log with the phone masked,
 * so an operator can read a login code without any SMS contract.
 */
export function createLogSmsSender(log: Logger): TSmsSender {
  return {
    async send(phone, text) {
      log.info({ sms: { to: maskPhone(phone), text } }, `SMS to ${maskPhone(phone)}: ${text}`);
    },
  };
}
