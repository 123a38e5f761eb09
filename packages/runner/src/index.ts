/** @packageDocumentation The ProcVision platform side: algorithm process supervision, protocol, heartbeat, timeouts, retries, restarts, sessions, frame writing, package store, HTTP service. */
export const packageName = '@procvision/runner';
