import { readonly, ref } from 'vue';
import { readStored, writeStored } from './storage';

/**
 * Elder mode (长辈模式): larger type and touch targets, secondary text hidden. It is a class on <html>
 * so that Vant popups teleported to <body> (toasts, dialogs) are enlarged too; the sizes themselves are
 * CSS variables in styles/theme.css. The class is set when this module loads, before the app mounts,
 * so nothing is ever painted at the wrong size (and no inline script is needed under a strict CSP).
 */
const STORAGE_KEY = 'villager.elderMode';
const ROOT_CLASS = 'elder';

const isElderModeRef = ref(readStored(STORAGE_KEY) === '1');
document.documentElement.classList.toggle(ROOT_CLASS, isElderModeRef.value);

/** Turn elder mode on or off and remember the choice on this phone. */
export function setElderMode(isOn: boolean): void {
  isElderModeRef.value = isOn;
  writeStored(STORAGE_KEY, isOn ? '1' : '0');
  document.documentElement.classList.toggle(ROOT_CLASS, isOn);
}

/** Reactive elder-mode state for templates, with its setter. */
export function useElderMode(): { isElderMode: Readonly<typeof isElderModeRef>; setElderMode: typeof setElderMode } {
  return { isElderMode: readonly(isElderModeRef), setElderMode };
}
