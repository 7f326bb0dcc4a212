import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts"],
    // BCT_IMAGES=upstream: refuse to start when course images are stand-ins.
    globalSetup: ["./packages/image-fidelity/src/global-setup.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    reporters: ["default", "./scripts/summary-reporter.ts"],
  },
});
