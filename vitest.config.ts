import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const dirs = [
  ...readdirSync(`${root}packages`).map((d) => `packages/${d}`),
  ...readdirSync(`${root}apps`).map((d) => `apps/${d}`),
].filter((d) => existsSync(`${root}${d}/package.json`));

// Tests import sibling packages by name and run against their source, so no build is needed first.
const alias = Object.fromEntries(
  readdirSync(`${root}packages`).map((d) => [`@gated/${d}`, `${root}packages/${d}/src/index.ts`]),
);

export default defineConfig({
  test: {
    projects: dirs.map((dir) => ({
      resolve: { alias },
      test: {
        name: `@gated/${dir.split('/')[1]}`,
        root: `${root}${dir}`,
        include: ['src/**/*.test.ts'],
        environment: 'node',
        testTimeout: 120_000,
        hookTimeout: 120_000,
      },
    })),
    pool: 'forks',
  },
});
