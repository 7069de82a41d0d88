import { getRouteApi } from '@tanstack/react-router';

/**
 * The broadcast routes as this feature sees them: typed params, search and navigation, without
 * importing app/ (the routes themselves are declared in src/app/router.tsx).
 */
export const broadcastRoute = getRouteApi('/broadcasts/$broadcastId');
