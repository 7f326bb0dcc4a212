import type { ImageLayer } from "./images.ts";

/**
 * The size of an image, measured the same way on every image store: the sum of its layers'
 * uncompressed sizes, as its history reports them. `docker image inspect`'s Size is that sum on the
 * classic store but the compressed content on the containerd store (moby/moby#53398), so a bound on it
 * would mean different things on different engines.
 */
export interface ImageSize {
  /** Sum of the layers' uncompressed sizes, in bytes. */
  bytes: number;
  /** The layers, newest first, with the instruction that made each. */
  layers: ImageLayer[];
  /** What the engine's image inspect calls Size (compressed on the containerd store). */
  reported: number;
}

export function sumOfLayers(layers: readonly ImageLayer[]): number {
  return layers.reduce((sum, layer) => sum + layer.size, 0);
}

/**
 * The same measure as a bash expression for scripts an attendee can run: `--human=false` makes
 * `docker image history` print each layer's size in bytes.
 */
export function imageSizeShellExpression(quotedRef: string): string {
  return `"$(docker image history --human=false --format '{{.Size}}' ${quotedRef} | awk '{ s += $1 } END { printf "%d", s }')"`;
}
