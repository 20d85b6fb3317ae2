// An identity provider that is not ours and answers outside Auth0's documented shapes, as
// servers that call themselves Auth0-compatible sometimes do: `/passwordless/start` answers 200
// with `OK` as text/html, `/oauth/token` refuses every code with 400 `{"message": …}`. The real
// relay forwards to it in `npm test` (scripts/test-browser.sh), so that the SDK's browser suite
// proves what a page gets from such a server.
//   node tests/support/foreign-upstream.mjs PORT
import { createServer } from "node:http";

const port = Number(process.argv[2]);
if (!Number.isInteger(port)) {
  console.error("usage: node tests/support/foreign-upstream.mjs PORT");
  process.exit(2);
}

createServer((request, response) => {
  request.resume(); // the body is not read: every answer is the same
  request.on("end", () => {
    if (request.method === "POST" && request.url === "/passwordless/start") {
      response.writeHead(200, { "content-type": "text/html" }).end("OK");
    } else if (request.method === "POST" && request.url === "/oauth/token") {
      response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ message: "Invalid code" }));
    } else {
      response.writeHead(404, { "content-type": "text/plain" }).end("no such path");
    }
  });
}).listen(port, "127.0.0.1", () => console.log(`foreign upstream on 127.0.0.1:${port}`));
