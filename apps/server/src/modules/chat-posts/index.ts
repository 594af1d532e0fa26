export { chatPostsRoutes } from './chat-posts.routes';
export { convertChatPost } from './chat-posts.service';
