import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "scripts/vitest.config.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    reporters: ["default", "./scripts/summary-reporter.ts"],
  },
});
