import { parseDockerfile } from "@bct/dockerfile";
import { describe, expect, it } from "vitest";
import { describeLayer, finalBaseImage, nameLayers } from "./layer-names.ts";

// Histories as the engine gave them (newest first) for the fixture single-stage-too-big and the reference.
const golangBase = [
  { createdBy: 'CMD ["bash"]', size: 0 },
  { createdBy: "WORKDIR /go", size: 4096 },
  {
    createdBy: 'RUN /bin/sh -c mkdir -p "$GOPATH/src" "$GOPATH/bin" && chmod -R 1777 "$GOPATH" # buildkit',
    size: 16_384,
  },
  { createdBy: "ENV GOPATH=/go", size: 0 },
  { createdBy: "RUN /bin/sh -c set -eux; apt-get install golang-1.27-go # buildkit", size: 604_000_000 },
  { createdBy: "", size: 87_600_000 },
];

function parsed(text: string) {
  const result = parseDockerfile(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.dockerfile;
}

describe("nameLayers", () => {
  it("names the attendee's layers by their Dockerfile instruction and groups the base image's as one", () => {
    const dockerfile = parsed(
      [
        "FROM golang:1.27",
        "WORKDIR /src",
        "COPY go.mod main.go Makefile ./",
        "RUN make",
        "USER 65532:65532",
        'ENTRYPOINT ["/src/webserver-volume-access", "-i", "/app/input"]',
      ].join("\n"),
    );
    const history = [
      { createdBy: 'ENTRYPOINT ["/src/webserver-volume-access" "-i" "/app/input"]', size: 0 },
      { createdBy: "USER 65532:65532", size: 0 },
      { createdBy: "RUN /bin/sh -c make # buildkit", size: 98_500_000 },
      { createdBy: "COPY go.mod main.go Makefile ./ # buildkit", size: 20_500 },
      { createdBy: "WORKDIR /src", size: 8192 },
      ...golangBase,
    ];
    expect(finalBaseImage(dockerfile)).toBe("golang:1.27");
    expect(nameLayers(history, dockerfile, { image: "golang:1.27", layers: golangBase })).toEqual([
      { description: 'ENTRYPOINT ["/src/webserver-volume-access", "-i", "/app/input"] (line 6)', size: 0 },
      { description: "USER 65532:65532 (line 5)", size: 0 },
      { description: "RUN make (line 4)", size: 98_500_000 },
      { description: "COPY go.mod main.go Makefile ./ (line 3)", size: 20_500 },
      { description: "WORKDIR /src (line 2)", size: 8192 },
      { description: "from golang:1.27 (6 layers of the base image)", size: 691_620_480 },
    ]);
  });

  it("names a COPY --from by what the attendee wrote, not by BuildKit's record of it", () => {
    const dockerfile = parsed(
      [
        "FROM golang:1.27 AS builder",
        "RUN make",
        "FROM scratch",
        "COPY --from=builder /src/webserver-volume-access /webserver-volume-access",
      ].join("\n"),
    );
    expect(finalBaseImage(dockerfile)).toBeUndefined();
    expect(
      nameLayers(
        [
          {
            createdBy: "COPY /src/webserver-volume-access /webserver-volume-access # buildkit",
            size: 5_860_000,
          },
        ],
        dockerfile,
        undefined,
      ),
    ).toEqual([
      {
        description: "COPY --from=builder /src/webserver-volume-access /webserver-volume-access (line 4)",
        size: 5_860_000,
      },
    ]);
  });
});

describe("describeLayer", () => {
  it("shows a layer no instruction explains without the builder's wrapping, and never empty", () => {
    expect(
      describeLayer(
        "/bin/sh -c #(nop) COPY file:f069363294d9b1e0da31cf4ceccd0d960297ef9790c53729d82d7f22ff4b6b21 in /webserver-volume-access ",
      ),
    ).toBe("COPY file:f069363294d9… in /webserver-volume-access");
    expect(describeLayer("/bin/sh -c make")).toBe("RUN make");
    expect(describeLayer("ADD rootfs-amd64.tar / # buildkit")).toBe("ADD rootfs-amd64.tar /");
    expect(describeLayer("")).toBe("(no instruction recorded for this layer)");
  });
});
