import { describe, expect, it } from "vitest";
import { describeLayer } from "./image-size.ts";

describe("describeLayer", () => {
  it("shows the instruction without the builder's wrapping and with short content hashes", () => {
    expect(
      describeLayer(
        "/bin/sh -c #(nop) COPY file:f069363294d9b1e0da31cf4ceccd0d960297ef9790c53729d82d7f22ff4b6b21 in /webserver-volume-access ",
      ),
    ).toBe("COPY file:f069363294d9… in /webserver-volume-access");
    expect(describeLayer("/bin/sh -c make")).toBe("RUN make");
    expect(describeLayer("ADD rootfs-amd64.tar / # buildkit")).toBe("ADD rootfs-amd64.tar / # buildkit");
  });
});
