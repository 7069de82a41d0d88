import type { Config } from 'tailwindcss';

/**
 * Loaded by Tailwind v4 through `@config` in src/index.css. Design tokens that are not
 * Tailwind defaults live here so every component draws from one palette.
 */
export default {
  theme: {
    extend: {
      fontFamily: {
        sans: [
          'Inter',
          'ui-sans-serif',
          'system-ui',
          '-apple-system',
          '"Segoe UI"',
          'Roboto',
          '"Helvetica Neue"',
          '"Liberation Sans"',
          'Arial',
          'sans-serif',
        ],
        mono: ['ui-monospace', '"SF Mono"', 'Menlo', 'Consolas', '"Liberation Mono"', 'monospace'],
      },
      colors: {
        // The product accent: links, focus rings, the active navigation item.
        brand: {
          50: '#eff8ff',
          100: '#dbeefe',
          200: '#bfe3fe',
          300: '#93d2fd',
          400: '#60b8fa',
          500: '#3b99f6',
          600: '#1c6dd9',
          700: '#1b59c0',
          800: '#1e51af',
          900: '#1e478a',
          950: '#172c54',
        },
      },
      maxWidth: {
        shell: '88rem',
      },
    },
  },
} satisfies Config;
