/**
 * The request-body cap, applied before yoga reads a byte: a body that declares more than the
 * cap gets 413; a body that declares no length (chunked) gets 411, since it could only be
 * measured by reading it. GraphQL clients (fetch, browsers, the CLI) always send a length.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type BodyVerdict = 'ok' | 'too-large' | 'length-required';

export function bodyVerdict(req: Pick<IncomingMessage, 'headers' | 'method'>, maxBytes: number): BodyVerdict {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > maxBytes ? 'too-large' : 'ok';
  return req.headers['transfer-encoding'] !== undefined ? 'length-required' : 'ok';
}

/** Answers an oversized or unmeasurable body (true), or leaves the request to yoga (false). */
export function refuseBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  const verdict = bodyVerdict(req, maxBytes);
  if (verdict === 'ok') return false;
  const [status, message] =
    verdict === 'too-large'
      ? [413, `The request body is larger than the request body limit of ${maxBytes} bytes.`]
      : [411, 'A request body must declare its Content-Length.'];
  const body = JSON.stringify({
    errors: [{ message, extensions: { code: 'LIMIT_EXCEEDED', limit: 'requestBodyBytes', max: maxBytes } }],
  });
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(body);
  // Whatever the client still sends is not read.
  req.resume();
  return true;
}
