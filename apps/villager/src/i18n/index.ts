import { createI18n } from 'vue-i18n';
import { Locale as VantLocale } from 'vant';
import vantEnUS from 'vant/es/locale/lang/en-US';
import vantZhCN from 'vant/es/locale/lang/zh-CN';
import { zhCN } from './zh-CN';
import { en } from './en';
import { readStored, writeStored } from '@/prefs/storage';

/** Languages the app offers; Chinese is the default. */
export const LOCALES = ['zh-CN', 'en'] as const;
/** One of the offered languages. */
export type TLocale = (typeof LOCALES)[number];

/** Names of the languages in their own language, for the switch. */
export const LOCALE_LABELS: Record<TLocale, string> = { 'zh-CN': '中文', en: 'English' };

const STORAGE_KEY = 'villager.locale';

function isLocale(value: string | null): value is TLocale {
  return value !== null && (LOCALES as readonly string[]).includes(value);
}

const stored = readStored(STORAGE_KEY);
const initialLocale: TLocale = isLocale(stored) ? stored : 'zh-CN';

/** The app's vue-i18n instance (Composition API mode). */
export const i18n = createI18n({
  legacy: false,
  locale: initialLocale,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

function applyLocale(locale: TLocale): void {
  document.documentElement.lang = locale;
  // Vant's own texts (dialog buttons, pull-refresh) follow the app language.
  if (locale === 'en') VantLocale.use('en-US', vantEnUS);
  else VantLocale.use('zh-CN', vantZhCN);
}
applyLocale(initialLocale);

/** The language currently shown. */
export function currentLocale(): TLocale {
  const value = i18n.global.locale.value;
  return isLocale(value) ? value : 'zh-CN';
}

/** Switch the language of the app and of Vant, and remember the choice on this phone. */
export function setLocale(locale: TLocale): void {
  i18n.global.locale.value = locale;
  writeStored(STORAGE_KEY, locale);
  applyLocale(locale);
}
