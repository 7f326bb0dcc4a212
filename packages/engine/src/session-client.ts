import type Docker from "dockerode";
import type { SessionIdentity } from "./labels.ts";
import type { EngineLog } from "./log.ts";

/** What every client of one resource kind holds: the connection, this run's session, and its log. */
export abstract class SessionClient {
  protected readonly docker: Docker;
  protected readonly session: SessionIdentity;
  protected readonly log: EngineLog;

  constructor(docker: Docker, session: SessionIdentity, log: EngineLog) {
    this.docker = docker;
    this.session = session;
    this.log = log;
  }
}
