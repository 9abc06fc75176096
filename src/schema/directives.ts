/**
 * `@cacheControl` directive of restricted data (DVDV: integrator role). PRIVATE keeps the response out of the
 * shared response cache, maxAge 0 out of any client or proxy cache; every restricted field and type carries it.
 */
export const PRIVATE = '@cacheControl(scope: PRIVATE, maxAge: 0)';
