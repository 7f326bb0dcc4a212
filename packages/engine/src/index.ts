export { type BuildCheckReport, type BuildCheckWarning, parseBuildCheck } from "./build-checks.ts";
export { BuildProgress, type BuildStep } from "./build-progress.ts";
export { BUILDX_INSTALL_HINT, buildToolsError, missingBuildTools } from "./buildx.ts";
export {
  type BuildCommandOptions,
  dockerBuildCommand,
  dockerRunArgv,
  dockerRunCommand,
  type RunFlags,
  shellJoin,
  shellQuote,
} from "./cli-equivalent.ts";
export {
  COMPOSE_INSTALL_HINT,
  COMPOSE_OVERRIDES,
  COMPOSE_PROJECT_LABEL,
  type ComposeInvocation,
  type ComposeOutcome,
  type ProjectResources,
} from "./compose.ts";
export type { ContainerSpec, MountSpec, PortMapping, ResourceLimits } from "./container-spec.ts";
export { formatMemory } from "./container-spec.ts";
export type {
  ContainerHandle,
  ContainerState,
  ContainerSummary,
  OutputListeners,
  PortHolder,
  RunResult,
} from "./containers.ts";
export { candidateEndpoints, type EngineEndpoint, endpointFromHost, START_DOCKER_HINT } from "./endpoint.ts";
export {
  type CleanupReport,
  type ConnectOptions,
  connectEngine,
  Engine,
  type EngineVersion,
  isEmptyReport,
} from "./engine.ts";
export {
  BuildError,
  type BuildErrorDetails,
  EXIT,
  type FailingInstruction,
  isKitError,
  KitError,
  type KitErrorCode,
} from "./errors.ts";
export { findListeningProcess, isHostPortFree } from "./host-ports.ts";
export { ImageArchiveClient } from "./image-archive.ts";
export { type ImageSize, imageSizeShellExpression, sumOfLayers } from "./image-size.ts";
export type {
  BuildOptions,
  BuildResult,
  ImageDetails,
  ImageFiles,
  ImageLayer,
  ImageUsage,
  PullOptions,
  PullPolicy,
} from "./images.ts";
export { splitReference } from "./images.ts";
export { isManaged, LABEL, labelFlags, labelsFor, type SessionIdentity } from "./labels.ts";
export type { EngineLog } from "./log.ts";
export {
  BINFMT_ENTRIES,
  BINFMT_ROOT,
  type BinfmtEntry,
  type BuildxStatus,
  buildxMissing,
  buildxStatus,
  type CommandOutcome,
  MULTIARCH_FIX,
  MULTIARCH_PLATFORMS,
  missingBinfmtEntries,
  parseBuildxInspect,
  readBinfmtEntry,
  registryAnswers,
  runQuietly,
  unbuildablePlatforms,
} from "./multiarch-support.ts";
export type { NetworkDetails } from "./networks.ts";
export {
  cliProgressLine,
  formatBytes,
  type LayerProgress,
  type ProgressListener,
  PullProgressTracker,
} from "./progress.ts";
export type { TarEntry } from "./tar-entries.ts";
export type { VolumeDetails } from "./volumes.ts";
export { fetchText, type HttpAnswer, waitForHttp } from "./wait.ts";
