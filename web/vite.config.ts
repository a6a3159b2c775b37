import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// During `npm run dev`, API calls are forwarded to a running hub.
// Override the target with DANNEVIRKE_HUB=http://host:port.
const hub = process.env.DANNEVIRKE_HUB ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/api': { target: hub, changeOrigin: true },
      '/healthz': { target: hub, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: hub, changeOrigin: true },
      '/healthz': { target: hub, changeOrigin: true },
    },
  },
});
