import { defineConfig } from 'vitepress';

// The site is built from docs/ by `pnpm docs:build` and served from 127.0.0.1 by `pnpm docs:serve`. Dead internal
// links fail the build (VitePress checks every Markdown link to a page).
export default defineConfig({
  title: 'polyinfer',
  description:
    'Run the same ONNX models on many inference backends, compose them into pipelines, serve and benchmark them.',
  lang: 'en',
  head: [['link', { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' }]],
  cleanUrls: false,
  lastUpdated: false,
  // The repository's own README and contributor notes are not pages; the embedded benchmark report is a static file.
  srcExclude: ['**/README.md', 'test/**', 'node_modules/**'],
  themeConfig: {
    search: { provider: 'local' },
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Reference', link: '/reference/packages' },
      { text: 'Benchmarks', link: '/guide/benchmarking' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Getting started', link: '/guide/getting-started' },
          { text: 'Command line', link: '/guide/command-line' },
          { text: 'Backends and devices', link: '/guide/backends' },
          { text: 'Browsers and Web Workers', link: '/guide/browser' },
        ],
      },
      {
        text: 'Tasks',
        items: [
          { text: 'All tasks', link: '/guide/tasks' },
          { text: 'OCR', link: '/guide/ocr' },
          { text: 'Documents (PDF, hOCR, ALTO)', link: '/guide/documents' },
          { text: 'Detection and classification', link: '/guide/detection-classification' },
          { text: 'Your own model, pipelines', link: '/guide/pipelines' },
        ],
      },
      {
        text: 'Serving',
        items: [{ text: 'Open Inference Protocol server', link: '/guide/serving' }],
      },
      {
        text: 'Benchmarking',
        items: [
          { text: 'polyinfer bench', link: '/guide/benchmarking' },
          { text: 'OCR accuracy and speed', link: '/guide/accuracy' },
          { text: 'OCR in the browser, measured', link: '/guide/ocr-in-the-browser-measured' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'Packages', link: '/reference/packages' },
          { text: 'Conformance', link: '/reference/conformance' },
          { text: 'Conformance by case', link: '/reference/conformance-coverage' },
          { text: 'Architecture', link: '/reference/architecture' },
          { text: 'Adding a backend or a task', link: '/reference/extending' },
          { text: 'Errors', link: '/reference/errors' },
          { text: 'FAQ and troubleshooting', link: '/reference/faq' },
          { text: 'Developing polyinfer', link: '/contributing' },
        ],
      },
    ],
  },
});
