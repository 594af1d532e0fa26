import type { TRole } from '@cunwu/contract';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title, used for the menu, breadcrumbs and document title. */
    title?: string;
    /** Reachable without a session (the login page). */
    isPublic?: boolean;
    /** Only users holding one of these roles may open the page. */
    roles?: readonly TRole[];
    /** Show in the left menu, with this icon. */
    menuIcon?: 'home' | 'regions' | 'users';
    /** Position in the left menu. */
    menuOrder?: number;
  }
}

export {};
