import { describe, expect, it } from "vitest";
import { imagesInShellScript } from "./shell-images.ts";

describe("imagesInShellScript", () => {
  it("finds the image after the options of docker run, create and pull", () => {
    const script = [
      'export GREETING="hello"',
      'docker run --rm $BCT_LABELS --env GREETING -v "$PWD/a:/a:ro" -it bash:5.3 bash -c \'echo "$GREETING"\'',
      "docker container create --name web -p 8080:80 nginx:1.30-alpine",
      "docker pull --platform linux/arm64 alpine:3.24 && docker image pull -q curlimages/curl:8.21.0",
    ].join("\n");
    expect(imagesInShellScript(script)).toEqual([
      "bash:5.3",
      "nginx:1.30-alpine",
      "alpine:3.24",
      "curlimages/curl:8.21.0",
    ]);
  });

  it("skips images held in variables and commands that run no image", () => {
    const script = [
      "digest=$(docker image inspect --format '{{index .RepoDigests 0}}' localhost:5000/x:1)",
      'docker pull "$digest"',
      'docker run --rm $BCT_LABELS "$digest"',
      "docker build -t mine:1 . # docker run alpine:3.24 in a comment",
      "make run",
    ].join("\n");
    expect(imagesInShellScript(script)).toEqual([]);
  });

  it("reads a docker run inside a sentence, as fix hints are written", () => {
    expect(
      imagesInShellScript("Start the course registry: docker run -d -p 5000:5000 --name registry registry:3"),
    ).toEqual(["registry:3"]);
  });
});
