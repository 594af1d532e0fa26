export { chatPostsRoutes } from './chat-posts.routes';
