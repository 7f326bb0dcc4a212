import type { ServerResponse } from "node:http";

export const LIVE_RELOAD_PATH = "/__live-reload";

/** Added before </body> of the served deck: reload the page when the server says the deck changed. */
export const LIVE_RELOAD_SCRIPT = `<script>
(() => {
  const events = new EventSource("${LIVE_RELOAD_PATH}");
  events.addEventListener("reload", () => location.reload());
})();
</script>`;

export function injectLiveReload(html: string): string {
  return html.includes("</body>")
    ? html.replace("</body>", `${LIVE_RELOAD_SCRIPT}</body>`)
    : `${html}${LIVE_RELOAD_SCRIPT}`;
}

/** Server-sent events to every open deck: one connection per browser tab, on the same port as the deck. */
export class ReloadChannel {
  private readonly clients = new Set<ServerResponse>();

  attach(response: ServerResponse): void {
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    response.write(": connected\n\n");
    this.clients.add(response);
    response.on("close", () => this.clients.delete(response));
  }

  reload(): void {
    for (const client of this.clients) client.write("event: reload\ndata: now\n\n");
  }

  close(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}
