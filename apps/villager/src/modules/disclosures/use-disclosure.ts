/** One published disclosure, loaded by id. */
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { TDisclosure } from '@cunwu/contract';
import { isApiError } from '@/api/http';
import { i18n } from '@/i18n';
import { fetchDisclosure } from './api';

/** Load state of the detail page (opened afresh for each id: the page is keyed by its path). */
export function useDisclosure(id: Ref<string>): {
  disclosure: ShallowRef<TDisclosure | null>;
  isLoading: Ref<boolean>;
  errorMessage: Ref<string>;
  /** Not there, or not published for this villager (the server answers the same to both). */
  isNotFound: Ref<boolean>;
  load: () => Promise<void>;
} {
  const disclosure = shallowRef<TDisclosure | null>(null);
  const isLoading = ref(true);
  const errorMessage = ref('');
  const isNotFound = ref(false);
  let generation = 0;

  async function load(): Promise<void> {
    const current = ++generation;
    errorMessage.value = '';
    try {
      const answer = await fetchDisclosure(id.value);
      if (current !== generation) return;
      // Only published disclosures are for villagers; anything else is treated as not there.
      if (answer.status !== 'published' || answer.versions.length === 0) {
        disclosure.value = null;
        isNotFound.value = true;
      } else {
        disclosure.value = answer;
        isNotFound.value = false;
      }
    } catch (error) {
      if (current !== generation) return;
      if (isApiError(error, 'NOT_FOUND') || isApiError(error, 'VALIDATION_FAILED')) {
        disclosure.value = null;
        isNotFound.value = true;
      } else {
        errorMessage.value = isApiError(error) ? error.message : i18n.global.t('common.unknownError');
      }
    } finally {
      if (current === generation) isLoading.value = false;
    }
  }

  return { disclosure, isLoading, errorMessage, isNotFound, load };
}
