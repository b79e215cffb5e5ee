// Runs inside the crypto worker, next to the staff session it uses.
import { statistics, Transport } from '@sauti/client';
import { httpError, type Handler } from './op-error';
import { staffSession } from './staff-ops';

/** Summary or one breakdown; 4xx answers (bad filters, a unit one may not see) go back for the screen to show. */
const statisticsOp: Handler<'statistics'> = async ({ view, query }) => {
  const transport = staffSession.current().transport;
  const answer = view === 'summary' ? await statistics.summary(transport, query) : await statistics.breakdown(transport, query as unknown as statistics.BreakdownRequest);
  if (answer.status === 401 || answer.status >= 500) throw httpError(answer.status, answer.body);
  return { status: answer.status, body: answer.body };
};

const transparency: Handler<'transparency'> = async () => {
  const answer = await statistics.transparency(new Transport(self.location.origin));
  if (answer.status >= 500) throw httpError(answer.status, answer.body);
  return { status: answer.status, body: answer.body };
};

export const statisticsOps = { statistics: statisticsOp, transparency };
