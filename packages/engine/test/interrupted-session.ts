// Started by cleanup.int.test.ts: creates labelled resources, then waits to be interrupted.
import { connectEngine } from "../src/engine.ts";

const engine = await connectEngine({ owner: "test:interrupt" });
engine.cleanupOnInterrupt(() => process.exit(130));
await engine.networks.create(`bct-test-int-net-${engine.session.id}`);
await engine.volumes.create(`bct-test-int-vol-${engine.session.id}`);
await engine.containers.start({
  image: "alpine:3.24",
  name: `bct-test-int-${engine.session.id}`,
  command: ["sleep", "300"],
});
process.stdout.write(`ready ${engine.session.id}\n`);
setInterval(() => {}, 1000);
