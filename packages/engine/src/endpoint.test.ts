import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { candidateEndpoints, endpointFromHost } from "./endpoint.ts";

function fakeFiles(files: Record<string, string>) {
  return {
    exists: (path: string) => path in files,
    readFile: (path: string) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT ${path}`);
      return text;
    },
  };
}

describe("candidateEndpoints", () => {
  it("uses DOCKER_HOST alone when it is set", () => {
    const found = candidateEndpoints({
      env: { DOCKER_HOST: "tcp://10.0.0.5:2375" },
      homeDir: "/home/a",
      ...fakeFiles({}),
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ host: "tcp://10.0.0.5:2375", source: "DOCKER_HOST" });
    expect(found[0]?.options).toMatchObject({ protocol: "http", host: "10.0.0.5", port: 2375 });
  });

  it("follows the current docker context from config.json", () => {
    const digest = createHash("sha256").update("colima").digest("hex");
    const files = fakeFiles({
      "/home/a/.docker/config.json": JSON.stringify({ currentContext: "colima" }),
      [`/home/a/.docker/contexts/meta/${digest}/meta.json`]: JSON.stringify({
        Endpoints: { docker: { Host: "unix:///home/a/.colima/default/docker.sock" } },
      }),
    });
    const found = candidateEndpoints({ env: {}, homeDir: "/home/a", ...files });
    expect(found).toEqual([
      expect.objectContaining({
        host: "unix:///home/a/.colima/default/docker.sock",
        source: "docker context 'colima'",
      }),
    ]);
  });

  it("lets DOCKER_CONTEXT override config.json", () => {
    const digest = createHash("sha256").update("remote").digest("hex");
    const files = fakeFiles({
      "/home/a/.docker/config.json": JSON.stringify({ currentContext: "colima" }),
      [`/home/a/.docker/contexts/meta/${digest}/meta.json`]: JSON.stringify({
        Endpoints: { docker: { Host: "ssh://me@box" } },
      }),
    });
    const found = candidateEndpoints({ env: { DOCKER_CONTEXT: "remote" }, homeDir: "/home/a", ...files });
    expect(found[0]).toMatchObject({ host: "ssh://me@box", source: "docker context 'remote'" });
    expect(found[0]?.options).toMatchObject({ protocol: "ssh", host: "box", username: "me" });
  });

  it("falls back to the default socket, then rootless sockets that exist", () => {
    const files = fakeFiles({ "/var/run/docker.sock": "", "/run/user/1000/docker.sock": "" });
    const found = candidateEndpoints({ env: {}, homeDir: "/home/a", uid: 1000, ...files });
    expect(found.map((endpoint) => endpoint.host)).toEqual([
      "unix:///var/run/docker.sock",
      "unix:///run/user/1000/docker.sock",
    ]);
  });

  it("tries the rootless socket first when there is no default socket", () => {
    const files = fakeFiles({ "/run/user/1000/docker.sock": "" });
    const found = candidateEndpoints({ env: {}, homeDir: "/home/a", uid: 1000, ...files });
    expect(found.map((endpoint) => endpoint.host)).toEqual(["unix:///run/user/1000/docker.sock"]);
  });

  it("still names the default socket when nothing exists, so the error can say what was tried", () => {
    const found = candidateEndpoints({ env: {}, homeDir: "/home/a", uid: 1000, ...fakeFiles({}) });
    expect(found.map((endpoint) => endpoint.host)).toEqual(["unix:///var/run/docker.sock"]);
  });
});

describe("endpointFromHost", () => {
  it("maps unix sockets to a socket path", () => {
    expect(endpointFromHost("unix:///var/run/docker.sock", "x").options).toEqual({
      socketPath: "/var/run/docker.sock",
    });
  });
});
