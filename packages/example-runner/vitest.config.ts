import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "example-runner",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
