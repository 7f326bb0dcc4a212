import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "attendee",
    include: ["src/**/*.test.ts"],
  },
});
