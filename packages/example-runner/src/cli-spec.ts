import type { CommandSpec } from "@bct/cli";

export const exampleCommand: CommandSpec = {
  usage: "pnpm example",
  summary:
    "Runs the deck's examples for real: prints each docker command, runs it, checks what it printed, cleans up.\nWithout a name, lists the examples by deck section.",
  positionals: ["[name | clean]"],
  options: {
    step: { type: "boolean", description: "Presenter mode: wait for Enter before each step" },
    keep: { type: "boolean", description: "Leave containers, images, networks and volumes for exploration" },
    print: {
      type: "boolean",
      description: "Write the equivalent bash script (with the same checks) to stdout",
    },
    all: {
      type: "boolean",
      description: "Run every example and print a summary table (exit 1 if any failed)",
    },
    json: {
      type: "boolean",
      description: "Machine-readable report on stdout (the run's output goes to stderr)",
    },
    record: {
      type: "boolean",
      description:
        "Store each step's real output (ids, times normalised) in examples/<name>/recording.json for the deck",
    },
    pull: {
      type: "string",
      valueName: "policy",
      default: "missing",
      description: "When to pull images: missing | always | never",
    },
  },
  examples: [
    "pnpm example                    # list the examples",
    "pnpm example ports              # run one",
    "pnpm example ports --step       # one step per Enter, for presenting",
    "pnpm example --print args > args.sh && bash args.sh",
    "pnpm example --all",
    "pnpm example --all --record     # refresh every recording the deck shows",
    "pnpm example clean              # remove everything the kit created",
  ],
};

export const cleanCommand: CommandSpec = {
  usage: "pnpm example clean",
  summary:
    "Removes every container, network, volume and image labelled by the kit (bct.managed=true), from any run.\nNothing else is touched: your own containers and images stay. Builds leave no dangling images; their\nlayers are in BuildKit's build cache, whose size is reported and which is emptied only with --build-cache.",
  options: {
    json: { type: "boolean", description: "Report what was removed as JSON" },
    "build-cache": {
      type: "boolean",
      description:
        "Also empty the engine's whole build cache, yours included (docker builder prune --all); the next builds start cold",
    },
  },
};
