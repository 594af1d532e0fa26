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
    menuIcon?: 'home' | 'regions' | 'users' | 'households' | 'coverage' | 'imports' | 'groups' | 'chatPosts' | 'outbox' | 'appeals' | 'appealRegister' | 'appealStats' | 'finance' | 'financeReview' | 'disclosures' | 'compliance' | 'catalog';
    /** Position in the left menu. */
    menuOrder?: number;
    /** i18n key of a one-line description: the page is offered as a quick link on the home page. */
    quickLink?: string;
  }
}

export {};
