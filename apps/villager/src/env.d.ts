/// <reference types="vite/client" />

import 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (the login page). */
    isPublic?: boolean;
    /** i18n key of the page title shown in WeChat's title bar. */
    titleKey?: string;
    /**
     * False for pages the tab layout must not keep alive: forms that hold the microphone and pages
     * of one record (opened afresh for each id). Tab pages are kept by default.
     */
    isCached?: boolean;
  }
}

declare global {
  interface ImportMetaEnv {
    /** Set to `1` at build time to hide the demo login hint (codes printed in the server log). */
    readonly VITE_HIDE_DEMO_HINT?: string;
  }
}
