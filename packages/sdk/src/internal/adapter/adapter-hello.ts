/** The protocol version this adapter speaks (docs/spec/protocol.md). */
export const protocolVersion = 1;

/** What the adapter's `hello` announces. */
export const capabilities: readonly string[] = ['ping', 'call', 'shutdown', 'reset', 'info', 'shared_memory:v1'];
