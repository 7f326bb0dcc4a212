#!/usr/bin/env node
import {
  type CommandSpec,
  type Console,
  callerPath,
  exitInterrupted,
  isEntryPoint,
  parseCommandArgs,
  renderHelp,
  runCli,
  useCompileCache,
} from "@bct/cli";
import { EXIT } from "@bct/errors";
// Only what --help needs loads up front; the engine and the criteria load when there is work.
import type { CheckReport } from "./schema.ts";

const spec: CommandSpec = {
  usage: "pnpm check-exercise",
  summary:
    "Checks the exercise criterion by criterion: builds your Dockerfile, measures the image, runs it safely\nand looks at your own container on port 9090. Exit code 0 when complete, 1 when not yet, 2 on a tool failure.",
  options: {
    dir: {
      type: "string",
      valueName: "path",
      description: "Folder with your Dockerfile and the app",
      default: "exercise/webserver-volume-access",
    },
    watch: {
      type: "boolean",
      short: "w",
      description: "Check again whenever the Dockerfile or the app changes",
    },
    json: { type: "boolean", description: "Print the results as JSON (one object per check)" },
    solution: { type: "boolean", description: "Show one possible solution (asks first)" },
    yes: { type: "boolean", short: "y", description: "With --solution: do not ask" },
  },
  examples: [
    "pnpm check-exercise",
    "pnpm check-exercise --watch",
    "pnpm check-exercise --json --dir ./my-attempt",
  ],
};

export async function main(argv: string[], console: Console): Promise<number> {
  const args = parseCommandArgs(spec, argv);
  if (args.help) {
    console.stdout.write(renderHelp(spec));
    return EXIT.ok;
  }
  const { DEFAULT_EXERCISE_DIR, loadExercise } = await import("./exercise-file.ts");
  const exerciseDir = DEFAULT_EXERCISE_DIR;
  const exercise = loadExercise(exerciseDir);

  if (args.values.solution) {
    const { confirmReveal, decodeSolution } = await import("./solution.ts");
    if (!(await confirmReveal(args.values.yes === true, { input: process.stdin, output: process.stderr }))) {
      console.info("Not shown. Run pnpm check-exercise for hints instead.");
      return EXIT.ok;
    }
    console.stdout.write(decodeSolution(exercise, exerciseDir));
    console.info(
      `Save it as your Dockerfile: pnpm check-exercise --solution --yes > ${exerciseDir}/Dockerfile`,
    );
    return EXIT.ok;
  }

  const dir =
    args.values.dir === spec.options.dir!.default ? exerciseDir : callerPath(String(args.values.dir));
  const json = args.values.json === true;
  // BCT_SESSION_ID lets a test know the session a check labels its resources with.
  const { connectEngine } = await import("@bct/engine");
  const { checkExercise } = await import("./check.ts");
  const { renderReport, reportHeader } = await import("./report.ts");
  const { watchAndCheck } = await import("./watch.ts");
  const { outcomesOfCheck, recordRun } = await import("@bct/attendee");
  const engine = await connectEngine({
    owner: `exercise:${exercise.id}`,
    sessionId: process.env.BCT_SESSION_ID || undefined,
  });
  const removeHandlers = engine.cleanupOnInterrupt(exitInterrupted);
  const progress = (line: string) => console.progress(line);

  const checkOnce = async (): Promise<CheckReport> => {
    if (!json) console.stdout.write(reportHeader(exercise.id, dir));
    const report = await checkExercise({
      exercise,
      dir,
      engine,
      progress,
      log: (line) => console.log(line),
      // A terminal rewrites the progress line in place; a log file gets a line every 10 s.
      progressIntervalMs: process.stderr.isTTY ? 1000 : 10_000,
      onResult: () => console.endProgress(),
    });
    console.endProgress();
    await recordRun(outcomesOfCheck(report.criteria));
    if (json) console.print(JSON.stringify(report));
    else console.stdout.write(renderReport(report, console.out, { header: false }));
    return report;
  };

  try {
    if (!args.values.watch) {
      const report = await checkOnce();
      return report.complete ? EXIT.ok : EXIT.unmet;
    }
    const stopped = new AbortController();
    process.once("SIGINT", () => stopped.abort());
    await watchAndCheck({
      dir,
      files: exercise.app.watch,
      signal: stopped.signal,
      onFallback: (reason) => console.warn(reason),
      check: async (reason) => {
        if (!json) console.info(`${reason}: checking (Ctrl-C to stop)`);
        await checkOnce();
        if (!json) console.info(`watching ${exercise.app.watch.join(", ")} in ${dir}`);
      },
    });
    return EXIT.interrupted;
  } finally {
    removeHandlers();
  }
}

if (isEntryPoint(import.meta.url)) {
  useCompileCache();
  await runCli((console) => main(process.argv.slice(2), console));
}
