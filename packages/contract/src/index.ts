export * from './errors';
export * from './limits';
export * from './regions';
export * from './roles';
export * from './masking';
export * from './auth';
export * from './users';
