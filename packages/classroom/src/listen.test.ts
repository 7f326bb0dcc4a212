import { describe, expect, it } from "vitest";
import { parsePort, reachableAddresses } from "./listen.ts";

describe("the addresses a server of the room prints", () => {
  it("is the one address asked for with --host", () => {
    expect(reachableAddresses("127.0.0.1", 4200)).toEqual(["http://127.0.0.1:4200"]);
    expect(reachableAddresses("::1", 4200)).toEqual(["http://[::1]:4200"]);
  });

  it("lists every interface's IPv4 address, loopback last, when it listens on all", () => {
    const addresses = reachableAddresses(undefined, 4300);
    expect(addresses.at(-1)).toBe("http://127.0.0.1:4300");
    expect(
      addresses.every((address) => /^http:\/\/(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]):4300$/.test(address)),
    ).toBe(true);
    expect(addresses.some((address) => address.includes("[fe80"))).toBe(false);
  });

  it("leaves out the bridges of container engines (docker0, br-…, veth…)", () => {
    const address = (ip: string, internal = false) => ({
      address: ip,
      netmask: "255.255.0.0",
      family: "IPv4" as const,
      mac: "00:00:00:00:00:00",
      internal,
      cidr: `${ip}/16`,
    });
    const addresses = reachableAddresses("0.0.0.0", 4200, {
      lo: [address("127.0.0.1", true)],
      eth0: [address("192.168.1.20")],
      docker0: [address("172.17.0.1")],
      "br-3f2a9c1d7e00": [address("172.18.0.1")],
      veth12ab: [address("169.254.3.1")],
    });
    expect(addresses).toEqual(["http://192.168.1.20:4200", "http://127.0.0.1:4200"]);
  });
});

describe("parsePort", () => {
  it("takes 0 to 65535 and nothing else", () => {
    expect(parsePort("4200")).toBe(4200);
    expect(parsePort("0")).toBe(0);
    for (const bad of ["", "http", "-1", "65536", "42.5"])
      expect(() => parsePort(bad)).toThrow(`--port ${bad}: a port is a number from 0 to 65535.`);
  });
});
