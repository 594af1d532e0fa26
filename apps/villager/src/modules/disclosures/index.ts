/**
 * What other modules may use of the 村务公开 module. (The router imports `./routes` directly: it is in
 * the first-load bundle, which must not pull the home card in.)
 */
export { default as DisclosuresHomeCard } from './DisclosuresHomeCard.vue';
