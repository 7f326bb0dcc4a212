import type { Recording } from "@bct/example-runner";
import { expect, it } from "vitest";
import { recordedWithBullets } from "./example-source.ts";

function recording(images: Recording["recordedWith"]["images"]): Recording {
  return { example: "x", freshness: "0".repeat(64), recordedWith: { engine: "28.5.2", images }, steps: [] };
}

it("names what each image was when the outputs were recorded", () => {
  const sentence = recordedWithBullets([
    recording({
      "alpine:3.24": { content: "upstream-files", files: "alpine-3.20.3" },
      "nginx:1.30-alpine": { content: "model" },
    }),
    recording({
      "hello-world:latest": { content: "upstream-files", files: "hello-world" },
      "golang:1.27": { content: "model" },
      "alpine:3.24": { content: "upstream-files", files: "alpine-3.20.3" },
    }),
  ]);
  expect(sentence).toBe(
    [
      "- Docker Engine 28.5.2",
      "- Test images made of the upstream images' own files (alpine-3.20.3, hello-world; a release can be older than its tag): `alpine:3.24`, `hello-world:latest`",
      "- Offline models built from Debian packages, so sizes and some texts differ: `golang:1.27`, `nginx:1.30-alpine`",
    ].join("\n"),
  );
});

it("says so when every image was the real one", () => {
  expect(recordedWithBullets([recording({ "alpine:3.24": { content: "upstream" } })])).toBe(
    "- Docker Engine 28.5.2\n- The real upstream images: `alpine:3.24`",
  );
});
