import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

/** Vite build of the officials' console, served by the API server under `/console/`. */
export default defineConfig({
  base: '/console/',
  plugins: [
    vue(),
    // Element Plus components and their CSS are imported on demand; local components are imported explicitly.
    Components({
      dirs: [],
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: 'src/components.d.ts',
    }),
  ],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      '@cunwu/contract': fileURLToPath(new URL('../../packages/contract/src/index.ts', import.meta.url)),
    },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Rolldown's successor to Rollup's `manualChunks`: big libraries get their own long-cached chunks.
        codeSplitting: {
          // Otherwise a group also swallows everything its modules import (Vue would land in element-plus).
          includeDependenciesRecursively: false,
          groups: [
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@popperjs|@ctrl|async-validator|lodash-es|lodash-unified|dayjs|memoize-one|normalize-wheel-es|@vueuse)[\\/]/, priority: 30 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 30 },
            { name: 'vue', test: /node_modules[\\/](vue|@vue|vue-router|vue-i18n|@intlify)[\\/]/, priority: 20 },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
});
