import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "dockerfile", include: ["src/**/*.test.ts"] },
});
