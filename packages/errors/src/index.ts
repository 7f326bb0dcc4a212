export { isCi } from "./ci.ts";
export { closestMatch, editDistance } from "./closest.ts";
export { EXIT, isKitError, KitError, type KitErrorCode, type KitErrorOptions } from "./kit-error.ts";
export { networkFailure } from "./network-failure.ts";
