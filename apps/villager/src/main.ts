import { createApp } from 'vue';
import '@/styles/theme.css';
import '@/prefs/elder-mode';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';

createApp(App).use(i18n).use(router).mount('#app');
