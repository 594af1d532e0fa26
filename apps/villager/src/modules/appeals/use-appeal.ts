/** One appeal on the detail page: loading, rating the result, answering a request for more information. */
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { TAppeal, TAppealFeedbackRequest } from '@cunwu/contract';
import { isApiError } from '@/api/http';
import { i18n } from '@/i18n';
import { fetchAppeal, rateAppeal, resumeAppeal, setFollowing } from './api';

/** Outcome of an action on the appeal. */
export type TActionResult = { ok: true } | { ok: false; message: string };

function messageOf(error: unknown): string {
  if (!isApiError(error)) return i18n.global.t('common.unknownError');
  return error.fieldErrors[0]?.reason ?? error.message;
}

/** State of the appeal `id`. */
export function useAppeal(id: Ref<string>): {
  appeal: ShallowRef<TAppeal | null>;
  isLoading: Ref<boolean>;
  errorMessage: Ref<string>;
  isNotFound: Ref<boolean>;
  load: () => Promise<void>;
  rate: (body: TAppealFeedbackRequest) => Promise<TActionResult>;
  resume: (text: string) => Promise<TActionResult>;
  follow: (isFollowing: boolean) => Promise<TActionResult>;
} {
  const appeal = shallowRef<TAppeal | null>(null);
  const isLoading = ref(true);
  const errorMessage = ref('');
  const isNotFound = ref(false);
  let generation = 0;

  /** Load (or reload, keeping what is shown until the answer comes). */
  async function load(): Promise<void> {
    const current = ++generation;
    errorMessage.value = '';
    isNotFound.value = false;
    try {
      const answer = await fetchAppeal(id.value);
      if (current === generation) appeal.value = answer;
    } catch (error) {
      if (current !== generation) return;
      // Private appeals of others answer 404 like missing ones: the page says so without guessing which.
      if (isApiError(error, 'NOT_FOUND')) isNotFound.value = true;
      else errorMessage.value = messageOf(error);
    } finally {
      if (current === generation) isLoading.value = false;
    }
  }

  async function act(request: () => Promise<TAppeal>): Promise<TActionResult> {
    try {
      appeal.value = await request();
      return { ok: true };
    } catch (error) {
      return { ok: false, message: messageOf(error) };
    }
  }

  return {
    appeal,
    isLoading,
    errorMessage,
    isNotFound,
    load,
    rate: (body) => act(() => rateAppeal(id.value, body)),
    resume: (text) => act(() => resumeAppeal(id.value, text)),
    follow: (isFollowing) => act(() => setFollowing(id.value, isFollowing)),
  };
}
