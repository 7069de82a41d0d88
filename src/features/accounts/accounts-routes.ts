import { getRouteApi } from '@tanstack/react-router';

/**
 * The admin routes as this feature sees them: typed search params and navigation, without
 * importing app/ (the routes themselves are declared in src/app/router.tsx).
 */
export const accountsRoute = getRouteApi('/accounts');
export const auditRoute = getRouteApi('/audit');
