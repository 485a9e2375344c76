/** The seed a fast-check property starts from; `FC_SEED=<n>` replays or varies a run. */
export const PROPERTY_SEED = Number(process.env.FC_SEED ?? 20261129)
