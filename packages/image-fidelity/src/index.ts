export { type ImageMode, imageMode } from "./mode.ts";
export { loadStandIns, SIZE_TOLERANCE, STANDINS_FILE, type StandIn, type StandInCheck } from "./standins.ts";
export { COURSE_REGISTRY_IMAGE, courseImageRefs, standInRefusal, standInsAmong } from "./upstream.ts";
