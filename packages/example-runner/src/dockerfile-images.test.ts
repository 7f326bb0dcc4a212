// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile variables, not template placeholders
import { describe, expect, it } from "vitest";
import { imagesOfDockerfile, substituteVariables } from "./dockerfile-images.ts";

describe("imagesOfDockerfile", () => {
  it("lists FROM images and leaves out stage names and scratch", () => {
    const text = [
      "# syntax comment",
      "FROM --platform=$BUILDPLATFORM golang:1.24 AS Builder",
      "RUN make",
      "FROM builder AS tested",
      "FROM scratch",
      "COPY --from=builder /app /app",
      "COPY --from=0 /app /other",
    ].join("\n");
    expect(imagesOfDockerfile(text)).toEqual(["golang:1.24"]);
  });

  it("resolves global ARG defaults, overridden by build arguments", () => {
    const text = "ARG IMAGE=bash\nARG TAG=5.2\nFROM ${IMAGE}:${TAG}\nARG TAG\nENV VERSION=${IMAGE}:${TAG}\n";
    expect(imagesOfDockerfile(text)).toEqual(["bash:5.2"]);
    expect(imagesOfDockerfile(text, { IMAGE: "alpine", TAG: "3.21" })).toEqual(["alpine:3.21"]);
    expect(imagesOfDockerfile(text, { TAG: "5.1" })).toEqual(["bash:5.1"]);
  });

  it("keeps an unresolvable reference as written, so a missing stand-in shows up", () => {
    expect(imagesOfDockerfile("ARG BASE\nFROM $BASE\n")).toEqual(["$BASE"]);
  });

  it("counts COPY --from=<image> and joins continued lines", () => {
    const text = "FROM alpine:3.22\nCOPY \\\n  --from=gcc:14 /usr/bin/gcc /gcc\n";
    expect(imagesOfDockerfile(text)).toEqual(["alpine:3.22", "gcc:14"]);
  });

  it("reads quoted ARG defaults and lists each image once", () => {
    expect(imagesOfDockerfile('ARG V="3.22"\nFROM alpine:${V}\nFROM alpine:$V\n')).toEqual(["alpine:3.22"]);
  });
});

describe("substituteVariables", () => {
  const lookup = (name: string) => ({ SET: "x" })[name];
  it("expands ${NAME:-default} and ${NAME:+alternative} like the Dockerfile frontend", () => {
    expect(substituteVariables("${SET:-d}/${UNSET:-d}", lookup)).toBe("x/d");
    expect(substituteVariables("${SET:+alt}/${UNSET:+alt}", lookup)).toBe("alt/");
  });
});
