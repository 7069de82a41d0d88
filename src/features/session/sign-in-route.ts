import { getRouteApi } from '@tanstack/react-router';

/**
 * The /sign-in route as this feature sees it: typed search params and navigation, without
 * importing app/ (the route itself is declared in src/app/router.tsx).
 */
export const signInRoute = getRouteApi('/sign-in');
