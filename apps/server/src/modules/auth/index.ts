export { authRoutes, sessionResolver } from './auth.routes';
