import { describe, expect, it } from "vitest";
import {
  canonicalReference,
  effectiveTag,
  normalizeReference,
  parseImageReference,
  unpinnedReason,
} from "./image-reference.ts";

describe("parseImageReference", () => {
  it("splits repository, tag and digest, keeping a registry's port in the repository", () => {
    expect(parseImageReference("localhost:5000/my-hello-world:v1")).toEqual({
      repository: "localhost:5000/my-hello-world",
      tag: "v1",
      digest: undefined,
    });
    expect(parseImageReference("localhost:5000/my-hello-world")).toEqual({
      repository: "localhost:5000/my-hello-world",
      tag: undefined,
      digest: undefined,
    });
    expect(parseImageReference("alpine:3.22@sha256:abc")).toEqual({
      repository: "alpine",
      tag: "3.22",
      digest: "sha256:abc",
    });
  });

  it("gives a digest-only reference no tag: it is not 'latest'", () => {
    expect(parseImageReference("alpine@sha256:abc")).toEqual({
      repository: "alpine",
      tag: undefined,
      digest: "sha256:abc",
    });
    expect(effectiveTag("alpine@sha256:abc")).toBeUndefined();
    expect(effectiveTag("alpine")).toBe("latest");
    expect(effectiveTag("golang:1.24")).toBe("1.24");
  });
});

describe("normalizeReference", () => {
  it("drops Docker Hub's registry and library/ prefixes, nothing else", () => {
    expect(normalizeReference("docker.io/library/alpine:3.22")).toBe("alpine:3.22");
    expect(normalizeReference("ghcr.io/owner/image:1")).toBe("ghcr.io/owner/image:1");
  });
});

describe("unpinnedReason", () => {
  it("accepts versions and digests, refuses bare names and latest (but hello-world's)", () => {
    expect(unpinnedReason("alpine:3.22")).toBeUndefined();
    expect(unpinnedReason("alpine@sha256:abc")).toBeUndefined();
    expect(unpinnedReason("hello-world:latest")).toBeUndefined();
    expect(unpinnedReason("localhost:5000/app")).toMatch(/^pin a tag/);
    expect(unpinnedReason("nginx:latest")).toMatch(/^pin a version/);
  });
});

describe("canonicalReference", () => {
  it("is the full name docker pull prints last", () => {
    expect(canonicalReference("alpine:3.24")).toBe("docker.io/library/alpine:3.24");
    expect(canonicalReference("grafana/grafana")).toBe("docker.io/grafana/grafana:latest");
    expect(canonicalReference("localhost:5000/greeting:1.0.0")).toBe("localhost:5000/greeting:1.0.0");
    expect(canonicalReference(`localhost:5000/greeting@sha256:${"a".repeat(64)}`)).toBe(
      `localhost:5000/greeting@sha256:${"a".repeat(64)}`,
    );
    expect(canonicalReference("ghcr.io/org/app:2")).toBe("ghcr.io/org/app:2");
  });
});
