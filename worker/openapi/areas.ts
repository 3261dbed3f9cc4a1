/** Paths contributed by the domain areas; each area keeps its own module and is merged here. */
export const areaPaths: Record<string, unknown> = {};
