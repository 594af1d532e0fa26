import { fileURLToPath, URL } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { VantResolver } from 'unplugin-vue-components/resolvers';

const fromHere = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Vant inlines its icon font into the CSS as ~25 kB of base64, which every page would then download
 * before it can paint. Moving it to its own hashed file keeps the first CSS small and lets the phone
 * cache the font separately. (Every browser WeChat ships reads woff2.)
 */
function vantIconFontAsFile(): Plugin {
  // The whole `src:` list: the inlined woff2 and a fallback on a public CDN, which a strict
  // font-src policy blocks and which a village platform should not depend on anyway.
  const fontSources = /src:\s*url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\)\s*format\(["']woff2["']\)(\s*,\s*url\([^)]*\)\s*format\(["']woff["']\))?/;
  return {
    name: 'villager:vant-icon-font-as-file',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      let fontFile: string | null = null;
      for (const asset of Object.values(bundle)) {
        if (asset.type !== 'asset' || !asset.fileName.endsWith('.css') || typeof asset.source !== 'string') continue;
        const match = fontSources.exec(asset.source);
        if (!match?.[1]) continue;
        fontFile ??= this.getFileName(this.emitFile({ type: 'asset', name: 'vant-icon.woff2', source: Buffer.from(match[1], 'base64') }));
        // CSS and font both live in assets/, so the reference is a bare file name.
        asset.source = asset.source.replace(match[0], `src:url(${fontFile.split('/').pop()}) format("woff2")`);
      }
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    // Vant components are imported on demand, each with its own CSS; function APIs (showToast,
    // showConfirmDialog) are not components, so their styles are imported where they are used.
    Components({ resolvers: [VantResolver({ importStyle: 'css' })], dts: 'src/components.d.ts' }),
    vantIconFontAsFile(),
  ],
  resolve: {
    alias: [
      { find: /^@cunwu\/contract$/, replacement: fromHere('../../packages/contract/src/index.ts') },
      { find: '@', replacement: fromHere('./src') },
    ],
  },
  define: {
    // Composition API only: drops the Options API and vue-i18n's legacy API from the bundle.
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  server: {
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    cssCodeSplit: true,
    chunkSizeWarningLimit: 200,
    rolldownOptions: {
      treeshake: {
        // The contract's files only declare schemas and constants. Saying so lets the bundler drop the
        // unused ones, so importing ERROR_CODES does not pull zod into the first-load chunk.
        moduleSideEffects: [{ test: /packages[\\/]contract[\\/]src[\\/]/, sideEffects: false }],
      },
      output: {
        codeSplitting: {
          groups: [
            // The framework every page needs, cached across releases of the app's own code.
            { name: 'framework', test: /node_modules[\\/](@vue|vue|vue-router|vue-i18n|@intlify)[\\/]/, priority: 2 },
            // Vant parts used by more than one page, in one file rather than many tiny ones.
            { name: 'vant', test: /node_modules[\\/](vant|@vant)[\\/]/, minShareCount: 2, priority: 1 },
            // Only the login page's form validation loads this.
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});
