import { onScopeDispose, ref } from 'vue';

// One clock for every deadline on screen; it runs only while something shows one.
const now = ref(new Date());
let users = 0;
let timer: ReturnType<typeof setInterval> | null = null;

/** The current time, refreshed every minute, so "剩3小时" counts down while the page stays open. */
export function useNow() {
  users += 1;
  if (!timer) {
    now.value = new Date();
    timer = setInterval(() => {
      now.value = new Date();
    }, 60_000);
  }
  onScopeDispose(() => {
    users -= 1;
    if (users === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  });
  return now;
}
