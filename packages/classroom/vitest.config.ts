import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "classroom",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
