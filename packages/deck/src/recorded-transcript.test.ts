import { describe, expect, it } from "vitest";
import { composeProgress } from "./recorded-transcript.ts";

describe("composeProgress", () => {
  it("keeps the last state of each resource, in the order they first appear, and drops the build log", () => {
    const up = [
      "#1 [internal] load local bake definitions",
      "#1 DONE 0.0s",
      " greeter-web  Built",
      " Network greeter_default  Creating",
      " Network greeter_default  Created",
      " Container greeter-web-1  Creating",
      " Container greeter-web-1  Started",
      " Container greeter-web-1  Waiting",
      " Container greeter-web-1  Healthy",
      " Container greeter-proxy-1  Started",
    ].join("\n");
    expect(composeProgress(up)).toBe(
      [
        " greeter-web  Built",
        " Network greeter_default  Created",
        " Container greeter-web-1  Healthy",
        " Container greeter-proxy-1  Started",
      ].join("\n"),
    );
  });

  it("leaves a text without compose progress as it was", () => {
    expect(composeProgress("no such service: db\n")).toBe("no such service: db\n");
  });
});
