import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";

function folder(dockerfile: string) {
  const dir = mkdtempSync(join(tmpdir(), "bct-checks-"));
  writeFileSync(join(dir, "Dockerfile"), dockerfile);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeWithEngine("BuildKit's build checks (docker build --check)", () => {
  it("reports each finding with its rule, line and link", async () => {
    const engine = await testEngine("build-checks");
    const attempt = folder(
      ["FROM alpine:3.24", "ENTRYPOINT ['/server', '-i']", "CMD /server -i /app/input", ""].join("\n"),
    );
    try {
      const report = await engine.images.check({ context: attempt.dir });
      expect(report).toEqual({
        stoppedBy: undefined,
        warnings: [
          {
            rule: "JSONArgsRecommended",
            detail:
              "JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals",
            url: "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
            line: 2,
          },
          {
            rule: "JSONArgsRecommended",
            detail: "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
            url: "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
            line: 3,
          },
        ],
      });
    } finally {
      attempt.remove();
    }
  }, 60_000);

  it("says why when the checks could not run to the end", async () => {
    const engine = await testEngine("build-checks");
    const attempt = folder("FROM localhost:5000/bct-no-such-image:1\nCMD echo hi\n");
    try {
      const report = await engine.images.check({ context: attempt.dir });
      expect(report?.warnings).toEqual([]);
      expect(report?.stoppedBy).toMatch(
        /failed to resolve source metadata for localhost:5000\/bct-no-such-image:1/,
      );
    } finally {
      attempt.remove();
    }
  }, 60_000);
});
