/** The villager's supervision groups and which one the feed tab shows (remembered on this phone). */
import { computed, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { isApiError } from '@/api/http';
import { i18n } from '@/i18n';
import { useSession } from '@/modules/auth/use-session';
import { readStored, writeStored } from '@/prefs/storage';
import { fetchMyGroups, type TMyGroup } from './api';

const STORAGE_KEY = 'villager.feed.groupId';

const { me } = useSession();

/** One request shared by the home card and the feed tab, per logged-in user (a phone may change hands). */
let shared: { userId: string; request: Promise<TMyGroup[]> } | null = null;

/** The villager's groups; fetched once and shared, `force` asks the server again (pull to refresh). */
export function loadMyGroups(force = false): Promise<TMyGroup[]> {
  const userId = me.value?.user.id ?? '';
  if (shared === null || shared.userId !== userId || force) {
    const request = fetchMyGroups();
    const entry = { userId, request };
    shared = entry;
    // A failed answer is not kept: the next caller asks again.
    request.catch(() => {
      if (shared === entry) shared = null;
    });
  }
  return shared.request;
}

/** The groups, their loading state and the chosen group. */
export function useMyGroups(): {
  groups: ShallowRef<TMyGroup[]>;
  isLoading: Ref<boolean>;
  hasLoaded: Ref<boolean>;
  errorMessage: Ref<string>;
  selectedId: ComputedRef<string | null>;
  selectedGroup: ComputedRef<TMyGroup | null>;
  select: (groupId: string) => void;
  load: (force?: boolean) => Promise<void>;
} {
  const groups = shallowRef<TMyGroup[]>([]);
  const isLoading = ref(true);
  const hasLoaded = ref(false);
  const errorMessage = ref('');
  const chosenId = ref<string | null>(readStored(STORAGE_KEY));

  // The remembered choice if he is still in that group, else his first group.
  const selectedGroup = computed(() => groups.value.find((g) => g.id === chosenId.value) ?? groups.value[0] ?? null);

  function select(groupId: string): void {
    chosenId.value = groupId;
    writeStored(STORAGE_KEY, groupId);
  }

  async function load(force = false): Promise<void> {
    errorMessage.value = '';
    try {
      groups.value = await loadMyGroups(force);
      hasLoaded.value = true;
    } catch (error) {
      // After a successful load a failed refresh keeps the list; the feed itself reports the problem.
      if (!hasLoaded.value) errorMessage.value = isApiError(error) ? error.message : i18n.global.t('common.unknownError');
    } finally {
      isLoading.value = false;
    }
  }

  return {
    groups,
    isLoading,
    hasLoaded,
    errorMessage,
    selectedId: computed(() => selectedGroup.value?.id ?? null),
    selectedGroup,
    select,
    load,
  };
}
