/**
 * One HTTP exchange with LiteLLM and the failure type that comes out of it: bearer auth, a
 * timeout per request (AbortSignal), an optional CA bundle, metrics, secret-free errors, and
 * retries with exponential backoff for calls that are safe to repeat. client.ts decides which
 * calls those are.
 *
 * @module
 */
import { type ErrorBody, parseErrorBody, saysKeyNotFound } from "./error_body.ts";
import { redactSecrets, sha256Hex } from "./redact.ts";

/** What kind of failure a LiteLLMError is. */
export type LiteLLMErrorKind = "http" | "timeout" | "network" | "invalid_response";

/** A non-2xx answer, no answer, or an unusable answer from LiteLLM. */
export class LiteLLMError extends Error {
  /** HTTP status; 0 when LiteLLM could not be reached, timed out or the answer was cut off. */
  readonly status: number;
  /** What went wrong: an HTTP error answer, a timeout, a network failure or a bad answer. */
  readonly kind: LiteLLMErrorKind;
  /** LiteLLM's error type (e.g. "not_found_error"), when it sent one. */
  readonly type: string | undefined;
  /** Whether LiteLLM itself said the key does not exist (see error_body.ts). */
  readonly keyNotFound: boolean;

  /**
   * @param status HTTP status, 0 without one.
   * @param message Already free of secrets.
   */
  constructor(
    status: number,
    message: string,
    options: { kind?: LiteLLMErrorKind; type?: string; keyNotFound?: boolean; cause?: unknown } =
      {},
  ) {
    super(message, { cause: options.cause });
    this.name = "LiteLLMError";
    this.status = status;
    this.kind = options.kind ?? "http";
    this.type = options.type;
    this.keyNotFound = options.keyNotFound ?? false;
  }
}

/** Options of the HTTP layer (and of LiteLLMClient, which passes them on). */
export interface LiteLLMClientOptions {
  /** Per-request timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** PEM CA bundle to trust, in addition to the system roots, for an https base URL. */
  caCert?: string;
  /** Attempts for a retryable call (default 3). */
  attempts?: number;
  /** Backoff before the second attempt in ms (default 200), doubled before each next one. */
  backoffMs?: number;
  /** The fetch to use (tests inject one; default: the global fetch). */
  fetch?: typeof fetch;
  /** Told about every HTTP call: endpoint, seconds taken, and whether it succeeded (metrics). */
  onCall?: (endpoint: string, seconds: number, ok: boolean) => void;
}

/** HTTP exchanges with one LiteLLM proxy under one credential. */
export class LiteLLMHttp {
  #baseUrl: string;
  #credential: string;
  #credentialHash: Promise<string>;
  #timeoutMs: number;
  #backoffMs: number;
  #fetch: typeof fetch;
  #httpClient: Deno.HttpClient | undefined;
  #onCall: LiteLLMClientOptions["onCall"];
  /** Attempts for a retryable call. */
  readonly attempts: number;

  /**
   * @param baseUrl The proxy's base URL (a trailing / is fine).
   * @param credential The master key or a proxy-admin virtual key.
   */
  constructor(baseUrl: string, credential: string, options: LiteLLMClientOptions = {}) {
    this.#baseUrl = baseUrl.replace(/\/+$/, "");
    this.#credential = credential;
    this.#credentialHash = sha256Hex(credential);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.#backoffMs = options.backoffMs ?? 200;
    this.#fetch = options.fetch ?? fetch;
    this.#httpClient = options.caCert
      ? Deno.createHttpClient({ caCerts: [options.caCert] })
      : undefined;
    this.#onCall = options.onCall;
  }

  /** Releases the HTTP client (its pooled connections). */
  close(): void {
    this.#httpClient?.close();
  }

  /** Waits before attempt number `attempt` (2, 3, ...). */
  backoff(attempt: number): Promise<void> {
    return new Promise((r) => setTimeout(r, this.#backoffMs * 2 ** (attempt - 2)));
  }

  /**
   * A call that is safe to repeat: retried on timeouts, network errors and 5xx answers.
   *
   * @throws {LiteLLMError} a 4xx at once, or the last failure.
   */
  async idempotent(method: string, path: string, body?: unknown): Promise<unknown> {
    let lastError: LiteLLMError | undefined;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) await this.backoff(attempt);
      try {
        return await this.once(method, path, body);
      } catch (error) {
        if (!(error instanceof LiteLLMError)) throw error;
        lastError = error;
        if (error.kind === "invalid_response" || (error.kind === "http" && error.status < 500)) {
          throw error;
        }
      }
    }
    throw lastError!;
  }

  /**
   * One attempt; reports it to `onCall`.
   *
   * @returns the parsed JSON answer ({} for an empty one).
   * @throws {LiteLLMError} on any failure, with secrets removed from the message.
   */
  async once(method: string, path: string, body?: unknown): Promise<unknown> {
    const op = path.split("?")[0].replace(/^\/key\/.+\/regenerate$/, "/key/{key}/regenerate");
    const started = performance.now();
    let ok = false;
    try {
      const result = await this.#request(method, path, body, op);
      ok = true;
      return result;
    } finally {
      this.#onCall?.(op, (performance.now() - started) / 1000, ok);
    }
  }

  async #request(method: string, path: string, body: unknown, op: string): Promise<unknown> {
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#credential}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
        client: this.#httpClient,
      });
      // Reading the body is part of the exchange: a connection cut here is a network error.
      text = await response.text();
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      const reason = timedOut
        ? `timed out after ${this.#timeoutMs} ms`
        : await this.#redact(causeChain(error));
      throw new LiteLLMError(0, `LiteLLM ${op} failed: ${reason}`, {
        kind: timedOut ? "timeout" : "network",
        cause: error,
      });
    }
    if (response.ok) {
      try {
        return text ? JSON.parse(text) : {};
      } catch {
        throw new LiteLLMError(502, `LiteLLM ${op} answered with a body that is not JSON`, {
          kind: "invalid_response",
        });
      }
    }
    const parsed: ErrorBody = parseErrorBody(text);
    const message = await this.#redact(parsed.message);
    throw new LiteLLMError(
      response.status,
      `LiteLLM ${op} answered ${response.status}: ${message}`,
      { type: parsed.type, keyNotFound: saysKeyNotFound(response.status, parsed) },
    );
  }

  async #redact(text: string): Promise<string> {
    return redactSecrets(text, [this.#credential, await this.#credentialHash]);
  }
}

/**
 * An error's message with its causes' ("fetch failed: error sending request ...: invalid peer
 * certificate: UnknownIssuer"): fetch's own message alone says nothing about why.
 */
function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error && parts.length < 5; e = e.cause) parts.push(e.message);
  return parts.join(": ") || String(error);
}
