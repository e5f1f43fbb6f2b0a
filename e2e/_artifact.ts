/**
 * The `make build` artifact as e2e, the demo and the benchmarks use it: path, sha256, and whether
 * it is a compiled executable or the launcher.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The built plugin. */
export interface Artifact {
  /** Absolute path of dist/vault-plugin-secrets-litellm. */
  path: string;
  /** File name, which is also its name in the engine's plugin directory. */
  fileName: string;
  /** Hex sha256 of the file, as `plugin register -sha256` wants it. */
  sha256: string;
  /** "compiled" (deno compile) or "launcher" (deno run with the same flags). */
  kind: "compiled" | "launcher";
}

/** Repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url)).replace(/\/$/, "");

/** Reads the artifact `make build` produced; throws when there is none. */
export async function loadArtifact(): Promise<Artifact> {
  const path = `${REPO_ROOT}/dist/vault-plugin-secrets-litellm`;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(path);
  } catch {
    throw new Error(`No plugin artifact at ${path}: run "make build" first`);
  }
  const kindText = (await Deno.readTextFile(`${path}.kind`).catch(() => "")).trim();
  if (kindText !== "compiled" && kindText !== "launcher") {
    throw new Error(`Unknown artifact kind in ${path}.kind: "${kindText}"`);
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return { path, fileName: "vault-plugin-secrets-litellm", sha256, kind: kindText };
}

/**
 * Copies the artifact into a fresh plugin directory (a real directory and a real file, since the
 * engines refuse symlinks) and returns the directory.
 */
export async function preparePluginDir(artifact: Artifact, workDir: string): Promise<string> {
  const dir = `${workDir}/plugins`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.copyFile(artifact.path, `${dir}/${artifact.fileName}`);
  await Deno.chmod(`${dir}/${artifact.fileName}`, 0o755);
  return dir;
}
