/** The protocol versions this runner speaks (docs/spec/protocol.md: version 1). */
export const supportedProtocolVersions: readonly number[] = [1];
