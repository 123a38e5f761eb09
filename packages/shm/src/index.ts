/** @packageDocumentation Shared memory for ProcVision camera frames: in-process dev store, SharedArrayBuffer pools, cross-process mmap segments, the image reader (sharp) and writer. */
export const packageName = '@procvision/shm';
