import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "exercise-checker",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
});
