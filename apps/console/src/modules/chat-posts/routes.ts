import type { RouteRecordRaw } from 'vue-router';
import { CHAT_POST_READ_ROLES } from './chat-post-labels';

/** Routes of the chat-post registration module (群消息登记). */
export const chatPostRoutes: RouteRecordRaw[] = [
  {
    path: '/chat-posts',
    name: 'chat-posts',
    component: () => import('./ChatPostsPage.vue'),
    meta: { title: 'chatPosts.title', roles: CHAT_POST_READ_ROLES, menuIcon: 'chatPosts', menuOrder: 45, quickLink: 'chatPosts.quickLink' },
  },
];
