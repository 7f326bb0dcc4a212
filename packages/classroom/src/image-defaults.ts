/** The port `pnpm images serve` listens on unless told otherwise. */
export const IMAGES_PORT = 4300;

/** The tarball `pnpm images save` writes and `load` reads unless told otherwise. */
export const DEFAULT_TARBALL = "bct-course-images.tar";
