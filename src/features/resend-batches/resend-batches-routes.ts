import { getRouteApi } from '@tanstack/react-router';

/**
 * The batch route as this feature sees it: typed params, without importing app/ (the routes
 * themselves are declared in src/app/router.tsx).
 */
export const resendBatchRoute = getRouteApi('/resend-batches/$batchId');
