/**
 * Idle HTTP connections of the Node host stay open for `KEEP_ALIVE_MS` (Node's own default is 5 s). A client or
 * load balancer that reuses a connection the server closed a moment before gets a reset instead of an answer;
 * with the server keeping connections longer than the balancer, the balancer is the side that closes them.
 */
import { Server } from 'node:http';

export function keepConnectionsAlive(server: unknown, ms: number): void {
  if (server instanceof Server) server.keepAliveTimeout = ms;
}
