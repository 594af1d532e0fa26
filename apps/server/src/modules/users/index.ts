export { createUser } from './users.service';
export { usersRoutes } from './users.routes';
