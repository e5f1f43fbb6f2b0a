/** The plugin version, written by scripts/build.sh from the git tag or VERSION. */
export const VERSION = "v0.1.0";
