-- A rotated key shares its predecessor's monthly budget and rate limits: they are counted under
-- the first key of the rotation chain (lineage_id, NULL for the key itself), so a rotation no
-- longer starts the month's budget from zero or doubles the limits during the grace period.
ALTER TABLE "gateway_keys" ADD COLUMN "lineage_id" UUID;

-- Existing chains (replaced_by_id links each key to its successor) get their first key's id.
WITH RECURSIVE chain AS (
  SELECT k.id, k.replaced_by_id, k.id AS root FROM gateway_keys k
   WHERE NOT EXISTS (SELECT 1 FROM gateway_keys p WHERE p.replaced_by_id = k.id)
  UNION ALL
  SELECT n.id, n.replaced_by_id, c.root FROM chain c JOIN gateway_keys n ON n.id = c.replaced_by_id
)
UPDATE gateway_keys g SET lineage_id = chain.root FROM chain WHERE g.id = chain.id AND chain.root <> g.id;

-- Their spend so far moves to the chain's budget scope, exactly (same months, summed).
INSERT INTO spend_counters AS s (scope, month, cost_sum, unpriced_count)
SELECT 'key:' || g.lineage_id, c.month, sum(c.cost_sum), sum(c.unpriced_count)
  FROM spend_counters c JOIN gateway_keys g ON c.scope = 'key:' || g.id
 WHERE g.lineage_id IS NOT NULL
 GROUP BY 1, 2
ON CONFLICT (scope, month) DO UPDATE SET
  cost_sum = s.cost_sum + EXCLUDED.cost_sum,
  unpriced_count = s.unpriced_count + EXCLUDED.unpriced_count;

DELETE FROM spend_counters c USING gateway_keys g WHERE c.scope = 'key:' || g.id AND g.lineage_id IS NOT NULL;
