/** The port `pnpm images serve` listens on unless told otherwise. */
export const IMAGES_PORT = 4300;
