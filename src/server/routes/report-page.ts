/**
 * The report page on the service (issue #16): `GET /` (drop or choose a file; it is verified by the
 * service's own `/v1/inspect` and its report renders in the page), `GET /report/:jobId` (a finished
 * report, rendered on the server from the job's stored report; `?part=report` gives the report's HTML
 * alone, which the page's script puts in place), and the page's own stylesheet and script. Every page
 * carries the strict {@link PAGE_CSP}; nothing comes from another origin. Language: `?lang=zh|en`, else
 * the browser's `Accept-Language`, else English.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Lang } from '../../report/i18n.ts';
import { PAGE_ASSETS, PAGE_CSP, PAGE_CSS, PAGE_SCRIPT, renderReportPage, type PageContent } from '../../report/page.ts';
import { renderReportBody } from '../../report/html.ts';
import type { VerifyReport } from '../../verify/report/report.ts';
import { isJobId } from '../job-spec.ts';
import { admit, type ServiceState } from '../state.ts';

/** The page's language: `?lang=`, else the first of zh/en in `Accept-Language`, else English. */
export function pageLang(query: { lang?: string }, acceptLanguage: string | undefined): Lang {
  if (query.lang === 'zh' || query.lang === 'en') return query.lang;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

function secure(reply: FastifyReply, type: string, cache = 'no-store'): FastifyReply {
  return reply
    .header('Content-Type', type)
    .header('Content-Security-Policy', PAGE_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Frame-Options', 'DENY')
    .header('Cache-Control', cache);
}

const HTML = 'text/html; charset=utf-8';
const langQuery = {
  type: 'object',
  properties: { lang: { type: 'string', enum: ['zh', 'en'] }, part: { type: 'string', enum: ['report'] } },
} as const;

/** Register the page routes. */
export async function reportPageRoutes(app: FastifyInstance, state: ServiceState): Promise<void> {
  app.get<{ Querystring: { lang?: string } }>(
    '/',
    { schema: { summary: 'the report page', tags: ['page'], querystring: langQuery } },
    async (request, reply) =>
      secure(reply, HTML).send(renderReportPage({ kind: 'empty' }, pageLang(request.query, request.headers['accept-language']))),
  );
  app.get(PAGE_ASSETS.css, { schema: { hide: true } }, async (_request, reply) =>
    secure(reply, 'text/css; charset=utf-8', 'public, max-age=3600').send(PAGE_CSS),
  );
  app.get(PAGE_ASSETS.js, { schema: { hide: true } }, async (_request, reply) =>
    secure(reply, 'text/javascript; charset=utf-8', 'public, max-age=3600').send(PAGE_SCRIPT),
  );
  app.get<{ Params: { jobId: string }; Querystring: { lang?: string; part?: string } }>(
    '/report/:jobId',
    {
      schema: {
        summary: 'a finished report as a page',
        tags: ['page'],
        querystring: langQuery,
        params: { type: 'object', properties: { jobId: { type: 'string', maxLength: 80 } }, required: ['jobId'] },
      },
    },
    async (request: FastifyRequest<{ Params: { jobId: string }; Querystring: { lang?: string; part?: string } }>, reply) => {
      if (!admit(state, request, reply, false)) return reply;
      const lang = pageLang(request.query, request.headers['accept-language']);
      const { jobId } = request.params;
      const readable = isJobId(jobId) && (jobId.startsWith('inspect-') || jobId.startsWith('verify-'));
      const result = readable ? await state.runner.result(jobId) : undefined;
      let content: PageContent;
      if (result?.status === 'completed' && result.result) content = { kind: 'report', report: result.result as VerifyReport, jobId };
      else if (readable && !result && (await state.runner.pending(jobId))) content = { kind: 'pending', jobId };
      else content = { kind: 'notFound', jobId };
      const status = content.kind === 'notFound' ? 404 : content.kind === 'pending' ? 202 : 200;
      if (request.query.part === 'report') {
        if (content.kind !== 'report')
          return reply.code(status).send({
            error: {
              code: status === 404 ? 'NOT_FOUND' : 'PENDING',
              message: `report ${jobId} is ${content.kind === 'pending' ? 'not ready' : 'unknown or expired'}`,
            },
          });
        return secure(reply.code(200), HTML).send(renderReportBody(content.report, { lang }));
      }
      return secure(reply.code(status), HTML).send(renderReportPage(content, lang));
    },
  );
}
