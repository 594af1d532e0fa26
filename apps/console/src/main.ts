import { createApp } from 'vue';
// Styles of the components used only through function calls (not templates), which the resolver cannot see.
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import './styles.css';
import App from './App.vue';
import { currentLocale, i18n } from './i18n';
import { router } from './router';

document.documentElement.lang = currentLocale.value;

createApp(App).use(i18n).use(router).mount('#app');
