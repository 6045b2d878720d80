/** The cmdai version, printed by `--version`. Kept in step with the git tag. */
export const VERSION = "0.1.0";
