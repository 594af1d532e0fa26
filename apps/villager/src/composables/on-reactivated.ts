import { onActivated } from 'vue';

/**
 * Run `callback` each time a page kept alive by the tab layout is shown again, but not when it is first
 * shown (its own mount loads it then). For catching up quietly after the villager was elsewhere.
 */
export function onReactivated(callback: () => void): void {
  let isFirstActivation = true;
  onActivated(() => {
    if (isFirstActivation) {
      isFirstActivation = false;
      return;
    }
    callback();
  });
}
