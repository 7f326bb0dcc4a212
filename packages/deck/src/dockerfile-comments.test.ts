import { describe, expect, it } from "vitest";
import { endOfLineComments } from "./dockerfile-comments.ts";

describe("endOfLineComments", () => {
  it("finds the old ENV, ARG, WORKDIR and COPY lines of the deck, and passes comments on their own line", () => {
    const old = [
      "ARG VERSION=1.0          # build time only: docker build --build-arg VERSION=2.0",
      "ENV APP_VERSION=$VERSION # stored in the image, visible in every container",
      "WORKDIR src       # relative: now /app/src",
      "COPY go.mod main.go ./ # from the build context",
    ].join("\n");
    expect(endOfLineComments(old).map((found) => found.line)).toEqual([1, 2, 3, 4]);
    const fixed =
      "# build time only\nARG VERSION=1.0\n  # indented comment\nRUN echo 'a # b' \"#c\"\nADD https://example.com/x#frag /opt/\n";
    expect(endOfLineComments(fixed)).toEqual([]);
  });
});
