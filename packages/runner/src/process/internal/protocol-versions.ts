/** The protocol versions this runner speaks (protocol.md: version 1). */
export const supportedProtocolVersions: readonly number[] = [1];
