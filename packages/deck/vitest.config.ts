import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "deck",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
