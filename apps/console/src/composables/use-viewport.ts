import { onBeforeUnmount, onMounted, ref } from 'vue';

/** Below this width the side menu becomes a drawer (phones). */
export const PHONE_MAX_WIDTH = 767;
/** Below this width the side menu starts collapsed (small laptops, tablets). */
export const NARROW_MAX_WIDTH = 1199;

/** Reactive viewport width with phone / narrow flags, following window resizes. */
export function useViewport() {
  const width = ref(typeof window === 'undefined' ? 1366 : window.innerWidth);
  const update = (): void => {
    width.value = window.innerWidth;
  };
  onMounted(() => window.addEventListener('resize', update, { passive: true }));
  onBeforeUnmount(() => window.removeEventListener('resize', update));
  return { width };
}
