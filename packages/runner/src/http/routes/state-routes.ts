import type { Reconciler } from '../../store/reconciler.js';
import { HttpError } from '../http-error.js';
import type { Route } from '../router.js';

/**
 * `GET /state` (desired vs actual per pid, the last reconcile and its error; `{repository: null}`
 * without a repository) and `POST /reconcile` (reconcile now, answer the state after it).
 */
export function desiredStateRoutes(reconciler: Reconciler | undefined): Route[] {
  return [
    { method: 'GET', pattern: '/state', handle: async () => ({ json: reconciler === undefined ? { repository: null } : await reconciler.state() }) },
    {
      method: 'POST',
      pattern: '/reconcile',
      handle: async () => {
        if (reconciler === undefined)
          throw new HttpError(
            'not_found',
            'this runner has no repository to reconcile from; start it with --repository DIR|URL (or repository in the store config.json)',
          );
        return { json: await reconciler.reconcile() };
      },
    },
  ];
}
