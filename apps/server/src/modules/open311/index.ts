export { open311Routes, OPEN311_PREFIX } from './open311.routes';
export { createClient as createOpen311Client } from './open311.service';
