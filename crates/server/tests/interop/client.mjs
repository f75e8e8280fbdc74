// A JS automerge-repo client for interop tests. Connects to a sync server,
// creates or finds a document, optionally waits for a value, makes a change,
// waits until the server has acknowledged our heads, prints JSON, exits.
// Usage:
//   node client.mjs <ws-url> [--find <automerge-url> | --create]
//                   [--expect key=value] [--set key=value] [--timeout ms]
// Exit status 0 on success; 1 with {"error": …} on stdout otherwise.
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"

const args = process.argv.slice(2)
const url = args.shift()
const opt = name => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] ?? true : undefined
}
const kv = s => (s ? s.split(/=(.*)/s).slice(0, 2) : undefined)
const timeoutMs = Number(opt("--timeout") ?? 15000)
const deadline = Date.now() + timeoutMs
let stage = "starting"
let handle
const fail = error => {
  console.log(JSON.stringify({ error, stage, doc: handle?.doc() }))
  process.exit(1)
}
setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs).unref()

const sleep = ms => new Promise(r => setTimeout(r, ms))
const until = async (what, cond) => {
  while (!cond()) {
    if (Date.now() > deadline) fail(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

const adapter = new WebSocketClientAdapter(url, 1000)
const repo = new Repo({ network: [adapter], peerId: `js-client-${process.pid}` })
stage = "connecting"
await until("the server's peer message", () => repo.peers.length > 0)
const server = repo.peers[0]
const serverStorageId = repo.peerMetadataByPeerId[server]?.storageId

stage = "finding or creating the document"
if (opt("--find")) {
  try {
    handle = await repo.find(opt("--find"))
  } catch (e) {
    fail(`find failed: ${e.message}`)
  }
} else {
  handle = repo.create()
}

stage = "waiting for the expected value"
const expect = kv(opt("--expect"))
if (expect) {
  // Scalar strings written by Rust arrive as ImmutableString: compare as text.
  await until(`${expect[0]} = ${expect[1]}`, () =>
    String(handle.doc()?.[expect[0]]) === expect[1]
  )
}
const set = kv(opt("--set"))
if (set) handle.change(d => { d[set[0]] = set[1] })

stage = "waiting until synced"
// Synced: the server's recorded heads (kept only for peers with a storageId
// and isEphemeral false) equal ours.
if (!serverStorageId) fail("the server sent no storageId in its peer metadata")
const same = (a, b) => a && b && [...a].sort().join() === [...b].sort().join()
await until("the server to have our heads", () =>
  same(handle.getSyncInfo(serverStorageId)?.lastHeads, handle.heads())
)

console.log(JSON.stringify({
  url: handle.url,
  documentId: handle.documentId,
  doc: handle.doc(),
  heads: handle.heads(),
  server,
  serverStorageId,
}))
await repo.shutdown().catch(() => {})
process.exit(0)
