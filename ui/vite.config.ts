import { defineConfig } from "vite";

// The API serves the build at /ui (app/ui.py), so assets are addressed under that prefix and
// written straight into the Python package; nothing is fetched from a CDN at run time.
export default defineConfig({
  base: "/ui/",
  build: {
    outDir: "../app/static/ui", // relative to ui/
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npm run dev` against `make api` on :8000.
    proxy: {
      "/v1": "http://127.0.0.1:8000",
      "/public": "http://127.0.0.1:8000",
      "/openapi.json": "http://127.0.0.1:8000",
    },
  },
});
