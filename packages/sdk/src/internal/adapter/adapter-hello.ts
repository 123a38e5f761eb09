/** The protocol version this adapter speaks (docs/spec/protocol.md). */
export const protocolVersion = 1;

/** What the adapter's `hello` announces; `ping_while_busy`: pings are answered while a call runs (worker thread), so the runner may kill on missed pongs at any time. */
export const capabilities: readonly string[] = ['ping', 'call', 'shutdown', 'reset', 'info', 'shared_memory:v1', 'ping_while_busy'];
