import type { Recording } from "@bct/example-runner";
import { expect, it } from "vitest";
import { recordedWithSentence } from "./example-source.ts";

function recording(images: Recording["recordedWith"]["images"]): Recording {
  return { example: "x", freshness: "0".repeat(64), recordedWith: { engine: "28.5.2", images }, steps: [] };
}

it("names what each image was when the outputs were recorded", () => {
  const sentence = recordedWithSentence([
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
    "Outputs recorded with Docker Engine 28.5.2. alpine:3.24 and hello-world:latest: test images made of the upstream images' own files (alpine-3.20.3, hello-world), which can be older than the tag. golang:1.27 and nginx:1.30-alpine: offline models built from Debian packages, so sizes and some texts differ from the real images.",
  );
});

it("says so when every image was the real one", () => {
  expect(recordedWithSentence([recording({ "alpine:3.24": { content: "upstream" } })])).toBe(
    "Outputs recorded with Docker Engine 28.5.2. alpine:3.24: the real upstream images.",
  );
});
