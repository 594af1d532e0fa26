export { seedDemoIfEmpty, demoLoginLines, DEMO_PASSWORD, SEED_DIR } from './demo.service';
export { buildDemoWorld, readRegistry, createRandom } from './demo.data';
