import { getRouteApi } from '@tanstack/react-router';

/**
 * The /operations route as this feature sees it: typed search params and navigation, without
 * importing app/ (the route itself is declared in src/app/router.tsx).
 */
export const operationsRoute = getRouteApi('/operations');
