// The gateway side of the fake Discord: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME, dispatches.
// Speaks JSON, with zlib-stream transport compression or per-payload (identify) compression when asked for.
import type { IncomingMessage } from 'node:http';
import { constants as zlibConstants, createDeflate, deflateSync, type Deflate } from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReceivePayload,
  type GatewaySendPayload,
} from 'discord-api-types/v10';

export const PRIVILEGED_INTENTS = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

export interface Identify {
  intents: number;
  shard: [number, number] | undefined;
  compress: boolean;
  transport: string | null;
  properties: Record<string, string>;
}

interface Session {
  ws: WebSocket;
  id: string;
  seq: number;
  ready: boolean;
  zlibStream: Deflate | null;
  /** zlib-stream payloads are compressed one after another, so each frame holds exactly one. */
  queue: Promise<void>;
  identifyCompress: boolean;
}

export interface GatewayHooks {
  token: string;
  heartbeatInterval: number;
  /** READY's payload and the GUILD_CREATEs that follow it. */
  onIdentify(identify: Identify, sessionId: string): { ready: unknown; guilds: unknown[] };
  violation(problem: string): void;
}

export class FakeGateway {
  readonly wss = new WebSocketServer({ noServer: true });
  readonly identifies: Identify[] = [];
  private readonly sessions = new Set<Session>();
  private sessionCount = 0;

  constructor(private readonly hooks: GatewayHooks) {
    this.wss.on('connection', (ws: WebSocket, request: IncomingMessage) => this.open(ws, request));
  }

  get readySessions(): number {
    return [...this.sessions].filter((s) => s.ready).length;
  }

  private open(ws: WebSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? '/', 'ws://127.0.0.1');
    const transport = url.searchParams.get('compress');
    if (url.searchParams.get('v') !== '10') return ws.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version');
    if ((url.searchParams.get('encoding') ?? 'json') !== 'json') return ws.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    if (transport && transport !== 'zlib-stream') return ws.close(GatewayCloseCodes.DecodeError, 'Unsupported compression');
    const session: Session = { ws, id: '', seq: 0, ready: false, zlibStream: transport ? createDeflate() : null, queue: Promise.resolve(), identifyCompress: false };
    this.sessions.add(session);
    ws.on('close', () => this.sessions.delete(session));
    ws.on('message', (raw) => this.receive(session, raw.toString(), transport));
    this.send(session, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.hooks.heartbeatInterval }, s: null, t: null });
  }

  private receive(session: Session, raw: string, transport: string | null): void {
    let payload: GatewaySendPayload;
    try {
      payload = JSON.parse(raw) as GatewaySendPayload;
    } catch {
      this.hooks.violation('gateway: undecodable payload');
      return session.ws.close(GatewayCloseCodes.DecodeError);
    }
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        return this.send(session, { op: GatewayOpcodes.HeartbeatAck, d: undefined as never, s: null, t: null });
      case GatewayOpcodes.Identify: {
        const d = payload.d;
        if (d.token !== this.hooks.token) return session.ws.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
        if (session.ready) return session.ws.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
        const intents = Number(d.intents);
        if (intents & PRIVILEGED_INTENTS) return session.ws.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
        const identify: Identify = { intents, shard: d.shard, compress: d.compress ?? false, transport, properties: { ...d.properties } };
        this.identifies.push(identify);
        session.identifyCompress = identify.compress && !transport;
        session.id = `session-${++this.sessionCount}`;
        const { ready, guilds } = this.hooks.onIdentify(identify, session.id);
        session.ready = true;
        this.dispatchTo(session, GatewayDispatchEvents.Ready, ready);
        for (const guild of guilds) this.dispatchTo(session, GatewayDispatchEvents.GuildCreate, guild);
        return;
      }
      case GatewayOpcodes.Resume:
        // Sessions do not survive here: ask for a fresh IDENTIFY, as Discord does for an expired session.
        return this.send(session, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      default:
        return;
    }
  }

  private send(session: Session, payload: GatewayReceivePayload): void {
    const json = JSON.stringify(payload);
    if (session.zlibStream) {
      const deflate = session.zlibStream;
      session.queue = session.queue.then(
        () =>
          new Promise<void>((resolve) => {
            const chunks: Buffer[] = [];
            const onData = (chunk: Buffer) => chunks.push(chunk);
            deflate.on('data', onData);
            deflate.write(json);
            // Each message ends with a sync flush (00 00 ff ff), which is how clients know a payload is complete.
            deflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
              deflate.off('data', onData);
              if (session.ws.readyState === session.ws.OPEN) session.ws.send(Buffer.concat(chunks));
              resolve();
            });
          }),
      );
    } else if (session.identifyCompress) {
      session.ws.send(deflateSync(json));
    } else {
      session.ws.send(json);
    }
  }

  private dispatchTo(session: Session, event: string, data: unknown): void {
    session.seq += 1;
    this.send(session, { op: GatewayOpcodes.Dispatch, t: event, s: session.seq, d: data } as GatewayReceivePayload);
  }

  /** Sends a dispatch (INTERACTION_CREATE, ...) to every identified session. */
  dispatch(event: string, data: unknown): number {
    const ready = [...this.sessions].filter((s) => s.ready);
    for (const session of ready) this.dispatchTo(session, event, data);
    return ready.length;
  }

  close(): Promise<void> {
    for (const session of this.sessions) session.ws.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
