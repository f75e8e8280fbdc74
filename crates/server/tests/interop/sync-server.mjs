// A reference JS automerge-repo sync server for yanzhen-sync's interop test.
// Usage: node sync-server.mjs <port|0> [storage-dir]
// Listens on 127.0.0.1; prints the port it listens on once ready.
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { WebSocketServer } from "ws"
import { Repo } from "@automerge/automerge-repo"
import { NodeWSServerAdapter } from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"

const port = Number(process.argv[2] ?? 0)
const dir = process.argv[3] ?? mkdtempSync(join(tmpdir(), "yanzhen-interop-"))
const wss = new WebSocketServer({ host: "127.0.0.1", port })
new Repo({
  network: [new NodeWSServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dir),
  peerId: "js-sync-server",
  // Like automerge-repo-sync-server: sync what peers ask for, announce nothing.
  sharePolicy: async () => false,
})
// The repo wires its adapter to the server asynchronously (after loading its
// storage id); a client connecting before that would be ignored. So announce
// the port only once the adapter listens for connections.
const ready = () => wss.address() && wss.listenerCount("connection") > 0
const announce = setInterval(() => {
  if (ready()) {
    clearInterval(announce)
    console.log(wss.address().port)
  }
}, 10)
process.on("SIGTERM", () => process.exit(0))
