// Ceiling for the API benchmark: Node's own http server reading a JSON body and answering a
// fixed JSON object, no framework at all. On a 2-core VM where wrk shares the machine, this is
// about as fast as any Node server can answer a POST; the API figures are read against it.
import { createServer } from 'node:http'

const answer = JSON.stringify({ status: 'success', data: { broker: 'simulator', message: 'pong' } })
createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'))
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(answer)
  })
}).listen(Number(process.argv[2]), '127.0.0.1')
process.on('SIGTERM', () => process.exit(0))
