// The reference for `cargo xtask bench`: a plain automerge-repo sync server
// from the npm packages (WebSocket network, Node fs storage), configured like
// automerge-repo-sync-server: sync what peers ask for, announce nothing.
// Usage: node reference-server.mjs <port|0> <storage-dir>
// Listens on 127.0.0.1 only; prints the port once it accepts connections;
// exits on SIGTERM/SIGINT or when its stdin closes (so it never outlives the
// load generator that started it).
import { WebSocketServer } from "ws"
import { Repo } from "@automerge/automerge-repo"
import { NodeWSServerAdapter } from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"

const port = Number(process.argv[2] ?? 0)
const dir = process.argv[3]
if (!dir) {
  console.error("usage: node reference-server.mjs <port|0> <storage-dir>")
  process.exit(2)
}
const wss = new WebSocketServer({ host: "127.0.0.1", port, maxPayload: 64 * 1024 * 1024 })
new Repo({
  network: [new NodeWSServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dir),
  peerId: "js-reference-server",
  sharePolicy: async () => false,
})
// The repo wires its adapter asynchronously; announce the port only once
// connections are handled.
const ready = () => wss.address() && wss.listenerCount("connection") > 0
const announce = setInterval(() => {
  if (ready()) {
    clearInterval(announce)
    console.log(wss.address().port)
  }
}, 10)
for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => process.exit(0))
process.stdin.on("end", () => process.exit(0))
process.stdin.resume()
