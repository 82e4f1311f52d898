import type { FastifyReply } from 'fastify';
import type { ParticipantExport } from './registry.js';

/** Sends an export as a JSON download that no browser or proxy keeps. */
export function sendExport(reply: FastifyReply, document: ParticipantExport): FastifyReply {
  return reply
    .header('content-type', 'application/json; charset=utf-8')
    .header('content-disposition', 'attachment; filename="learning-center-participant-data.json"')
    .header('cache-control', 'no-store')
    .send(JSON.stringify(document, null, 2));
}
