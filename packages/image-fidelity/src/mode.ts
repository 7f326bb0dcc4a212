/**
 * BCT_IMAGES says which images the tests run on: "standins" (the default: the offline copies that
 * .ci/build-standins.sh makes) or "upstream" (the real images, as a trainer with internet access checks
 * them before class; stand-ins are then refused).
 */
export type ImageMode = "standins" | "upstream";

export function imageMode(env: NodeJS.ProcessEnv = process.env): ImageMode {
  const value = env.BCT_IMAGES?.trim() || "standins";
  if (value === "standins" || value === "upstream") return value;
  throw new Error(`BCT_IMAGES=${value}: expected "standins" (the default) or "upstream"`);
}
