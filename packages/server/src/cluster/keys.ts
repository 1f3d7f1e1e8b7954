/** Every Redis key and channel Fernhilfe uses, in one place (all under `fernhilfe:`). */
export const keys = {
  /** a node is alive while this key exists (TTL refreshed by its heartbeat) */
  node: (node: string) => `fernhilfe:node:${node}`,
  /** pub/sub channel of one node: the cluster bus */
  bus: (node: string) => `fernhilfe:bus:${node}`,
  /** pub/sub: admin requests to every node (admin-channel.ts), and the replies to one node */
  adminAll: 'fernhilfe:admin',
  adminReplies: (node: string) => `fernhilfe:admin:reply:${node}`,
  /** a live customer ID -> the node that holds it (TTL refreshed by that node's heartbeat) */
  liveId: (id: string) => `fernhilfe:id:live:${id}`,
  /** an ID given out within the last 24 h (set at claim, refreshed at the end): never given out again meanwhile */
  usedId: (id: string) => `fernhilfe:id:used:${id}`,
  /** per-ID back-off: hash {failures, until} */
  limitTarget: (id: string) => `fernhilfe:limit:id:${id}`,
  /** failure times of a technician account / a source address: sorted sets */
  limitAccount: (account: string) => `fernhilfe:limit:account:${account}`,
  limitIp: (ip: string) => `fernhilfe:limit:ip:${ip}`,
  /** failed web sign-ins of a login name / from an address: sorted sets of failure times */
  signInLogin: (login: string) => `fernhilfe:signin:login:${login}`,
  signInIp: (ip: string) => `fernhilfe:signin:ip:${ip}`,
  /** failed web sign-ins of one login from one address; when a login is slowed, the time its next attempt may start */
  signInPair: (login: string, ip: string) => `fernhilfe:signin:pair:${login}|${ip}`,
  signInSlot: (login: string) => `fernhilfe:signin:slot:${login}`,
  /** the key that signs WebSocket tickets, shared by all nodes */
  ticketKey: 'fernhilfe:ticket:key',
  /** a ticket that was used (single use across nodes) */
  ticketUsed: (nonce: string) => `fernhilfe:ticket:used:${nonce}`,
  /** an active session's shared state (hash: technician, resume public keys, audit row, path…), for a new home (redis-session-store.ts) */
  session: (id: string) => `fernhilfe:session:${id}`,
} as const;
