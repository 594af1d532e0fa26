import { computed } from 'vue';
import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';
import en from './en';

/** Locales the console speaks; Simplified Chinese is the default. */
export const LOCALES = ['zh-CN', 'en'] as const;
/** A console locale. */
export type TLocale = (typeof LOCALES)[number];

const STORAGE_KEY = 'cunwu.console.locale';

function readSavedLocale(): TLocale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return saved === 'en' ? 'en' : 'zh-CN';
  } catch {
    // Storage can be disabled (private mode); Chinese is the safe default.
    return 'zh-CN';
  }
}

/** The vue-i18n instance (Composition API mode). */
export const i18n = createI18n({
  legacy: false,
  locale: readSavedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

/** The current locale, reactive. */
export const currentLocale = computed<TLocale>(() => (i18n.global.locale.value === 'en' ? 'en' : 'zh-CN'));

/** Whether the console currently shows English (reactive when read in a render). */
export function isEnglish(): boolean {
  return currentLocale.value === 'en';
}

/** Switch the language, remember it and tell the document. */
export function setLocale(locale: TLocale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembering the choice is acceptable.
  }
}

/** Pick one half of a bilingual contract message such as `phone must be … / 手机号须为11位`. */
export function pickBilingual(text: string): string {
  const parts = text.split(' / ');
  if (parts.length !== 2) return text;
  return (isEnglish() ? parts[0] : parts[1])?.trim() ?? text;
}

/** Translate a key outside components (services, the HTTP client). */
export function translate(key: string, named?: Record<string, unknown>): string {
  return named ? i18n.global.t(key, named) : i18n.global.t(key);
}
