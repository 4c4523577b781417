// A gateway key's monthly budget and rate limits are counted under its rotation chain's first key
// (gateway_keys.lineage_id, null for the first key itself): a rotation neither resets nor doubles
// them. The one definition of that id, in SQL and in code.

/** The id a key's budget and limits count under, for a gateway_keys row aliased `alias`. */
export const limitsIdSql = (alias: string) => `coalesce(${alias}.lineage_id, ${alias}.id)`;

export const limitsIdOf = (key: { id: string; lineageId: string | null }) => key.lineageId ?? key.id;
