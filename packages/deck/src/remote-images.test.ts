import { describe, expect, it } from "vitest";
import { remoteImageSources } from "./remote-images.ts";

describe("remoteImageSources", () => {
  it("finds web images in img tags, CSS url(), svg image and leftover markdown", () => {
    const html = [
      '<img src="https://example.com/a.png">',
      "<img alt='x' src='//cdn.example.com/b.svg'>",
      '<div style="background-image:url(&quot;http://example.com/c.jpg&quot;)"></div>',
      "<style>footer{background:url('https://example.com/d.svg')}</style>",
      '<svg><image href="https://example.com/e.png"/></svg>',
      "<p>![old](https://example.com/f.png)</p>",
    ].join("\n");
    expect(remoteImageSources(html)).toEqual([
      "https://example.com/a.png",
      "//cdn.example.com/b.svg",
      "https://example.com/e.png",
      "http://example.com/c.jpg",
      "https://example.com/d.svg",
      "https://example.com/f.png",
    ]);
  });

  it("accepts local files, data URIs and XML namespaces", () => {
    const html = [
      '<img src="assets/logo.svg">',
      '<img src="data:image/svg+xml;base64,AAAA">',
      '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
      "<style>section{background:url(assets/bg.svg)}</style>",
    ].join("\n");
    expect(remoteImageSources(html)).toEqual([]);
  });
});
