/** Lowercase letters, digits, `_` and `-`: the form of an algorithm package name. */
export const PACKAGE_NAME_PATTERN = /^[a-z0-9_-]+$/;

/** Longest package name (npm's limit). */
export const MAX_PACKAGE_NAME_LENGTH = 214;

/** A semantic version (`1.2.0`, `1.2.0-rc.1+build`), as semver.org's reference expression. */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Most supported PIDs a package may list; more than {@link SUPPORTED_PIDS_WARNING_LIMIT} earns a warning. */
export const MAX_SUPPORTED_PIDS = 50;

/** Above this many supported PIDs a manifest or getInfo() loads with a warning. */
export const SUPPORTED_PIDS_WARNING_LIMIT = 20;
