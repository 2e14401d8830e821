
// ---- The Node adapter ----

/** The raw body a framework kept beside the parsed one: bytes, or the text as received. */
export type RawBodyLike = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/**
 * What `toNodeListener` needs of a request: `node:http`'s `IncomingMessage`,
 * as Express, Next.js API routes, Koa (`ctx.req`) and Fastify (`request.raw`)
 * hand it over. A body parser that ran first leaves the stream read; its
 * `rawBody` (kept by e.g. Google Cloud Functions) or a `body` that is bytes or
 * text (`express.raw()`, `express.text()`) is then used as the raw body.
 */
export interface NodeRequestLike {
  method?: string | undefined;
  url?: string | undefined;
  /** Express: the URL before mounting stripped a prefix. */
  originalUrl?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  /** True once the whole request has arrived. */
  readonly complete?: boolean | undefined;
  /** True once something read the body stream to its end. */
  readonly readableEnded?: boolean | undefined;
  /** True once something started reading the body stream. */
  readonly readableDidRead?: boolean | undefined;
  readonly destroyed?: boolean | undefined;
  /** Set by body parsers: used only when it is bytes or text, never a parsed object. */
  body?: unknown;
  /** The raw body some frameworks and platforms keep. */
  rawBody?: RawBodyLike | undefined;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** What `toNodeListener` needs of a response: `node:http`'s `ServerResponse`. */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  writeHead(status: number, headers?: Record<string, string | string[]>): unknown;
  write(chunk: Uint8Array): unknown;
  end(chunk?: Uint8Array): unknown;
}

/** A Fastify request, as its route handler receives it. */
export interface FastifyRequestLike {
  raw: NodeRequestLike;
  /** The parsed body, or a Buffer with a `parseAs: "buffer"` content-type parser. */
  body?: unknown;
  /** Kept by raw-body plugins such as fastify-raw-body. */
  rawBody?: RawBodyLike | undefined;
}

/** A Fastify reply: the listener hijacks it and answers on `reply.raw`. */
export interface FastifyReplyLike {
  raw: NodeResponseLike;
  hijack(): unknown;
}

/** A Koa context: the listener sets `respond = false` and answers on `ctx.res`. */
export interface KoaContextLike {
  req: NodeRequestLike;
  res: NodeResponseLike;
  /** koa-bodyparser keeps the raw text in `rawBody`. */
  request: object & { body?: unknown; rawBody?: RawBodyLike | undefined };
  respond?: boolean | undefined;
}

/**
 * A listener for Node's HTTP servers. The promise settles once the answer is
 * written, and never rejects.
 */
export interface NodeListener {
  /** `node:http`, Express (`app.post(path, listener)`), Next.js API routes (`export default listener`). */
  (req: NodeRequestLike, res: NodeResponseLike, next?: unknown): Promise<void>;
  /** Fastify: `fastify.post(path, listener)`; the reply is hijacked. */
  (request: FastifyRequestLike, reply: FastifyReplyLike): Promise<void>;
  /** Koa: `router.post(path, listener)` or `listener(ctx)`; sets `ctx.respond = false`. */
  (ctx: KoaContextLike, next?: unknown): Promise<void>;
}

/**
 * Adapts a Fetch-style handler to Node's HTTP servers, streaming the body to
 * it. When a body parser consumed the body first and kept no raw bytes, the
 * handler answers 500 `body_already_read`, with the fix for the framework.
 * Malformed requests get 400 `invalid_request`; nothing the listener meets
 * is thrown into the server.
 *
 * @example
 * http.createServer(toNodeListener(handler));
 * app.post("/webhook/event", toNodeListener(handler)); // Express, before app.use(express.json())
 */
export declare function toNodeListener(handler: (request: Request) => Promise<Response>): NodeListener;
