-- Admission by allowance (lib/gateway/allowances.ts): an instance claims a slice of a gateway key's
-- requests and tokens per minute, parallel slots and budget in one call and admits locally until it
-- is used up, so the shared store sees one call per slice instead of one per request. A lease is
-- now an instance's holding for one key and budget scope set: slots held and budget reserved,
-- renewed while the instance lives (a dead instance's holding expires by itself).
-- The Prisma engine splits migrations on every semicolon, even inside dollar quotes, so function
-- bodies are E'' strings with \073 for each semicolon.

DROP FUNCTION gateway_admit(uuid, uuid, date, text[], numeric[], numeric, int, int, int, int, int, boolean);

DELETE FROM "gateway_leases";
ALTER TABLE "gateway_leases" DROP COLUMN "inflight";
ALTER TABLE "gateway_leases" ADD COLUMN "slots" INTEGER NOT NULL DEFAULT 0;

-- Grants what is asked, capped at a tenth of what is left, never less than the one request that
-- asked (need) and never past the limit except by that one request, exactly as per-request
-- admission allowed. A dimension asked for 0 is not checked. Refusals write nothing. Rows are locked
-- key window first, then budget scopes in the order given (sorted), then the lease: the order the
-- usage writer takes counters and leases in, so the two never deadlock.
CREATE FUNCTION gateway_claim(
  p_lease uuid, p_key uuid, p_month date, p_scopes text[], p_limits numeric[],
  p_amount_need numeric, p_amount_want numeric,
  p_rpm int, p_requests_want int,
  p_tpm int, p_tokens_need int, p_tokens_want int,
  p_parallel int, p_slots_want int,
  p_ttl_ms int
) RETURNS TABLE (reason text, retry_after_ms int, window_start timestamptz, requests int, tokens int, slots int, amount numeric)
LANGUAGE plpgsql AS E'
DECLARE
  w gateway_key_windows%ROWTYPE\073
  now_ts timestamptz := clock_timestamp()\073
  minute_start timestamptz := date_trunc(\'minute\', clock_timestamp())\073
  elapsed double precision := 0\073
  used double precision\073
  running int\073
  spent numeric\073
  reserved numeric\073
  room numeric := NULL\073
  g_requests int := 0\073
  g_tokens int := 0\073
  g_slots int := 0\073
  g_amount numeric := 0\073
  windowed boolean := p_requests_want > 0 OR p_tokens_want > 0 OR p_slots_want > 0\073
  i int\073
BEGIN
  IF windowed THEN
    INSERT INTO gateway_key_windows (gateway_key_id, window_start) VALUES (p_key, minute_start) ON CONFLICT DO NOTHING\073
    SELECT * INTO w FROM gateway_key_windows WHERE gateway_key_id = p_key FOR UPDATE\073
    IF w.window_start < minute_start THEN
      IF w.window_start = minute_start - interval \'1 minute\' THEN
        w.prev_requests := w.requests\073 w.prev_tokens := w.tokens\073
      ELSE
        w.prev_requests := 0\073 w.prev_tokens := 0\073
      END IF\073
      w.requests := 0\073 w.tokens := 0\073 w.window_start := minute_start\073
    END IF\073
    elapsed := extract(epoch FROM now_ts - minute_start) / 60.0\073
    IF p_rpm IS NOT NULL AND p_requests_want > 0 THEN
      used := w.prev_requests * (1 - elapsed) + w.requests\073
      IF used + 1 > p_rpm THEN
        RETURN QUERY SELECT \'rpm\'::text, gateway_retry_ms(w.prev_requests, used + 1 - p_rpm, elapsed), NULL::timestamptz, 0, 0, 0, 0::numeric\073
        RETURN\073
      END IF\073
      g_requests := greatest(1, least(p_requests_want, floor((p_rpm - used) / 10)::int))\073
    END IF\073
    IF p_tpm IS NOT NULL AND p_tokens_want > 0 THEN
      used := w.prev_tokens * (1 - elapsed) + w.tokens\073
      IF used >= p_tpm THEN
        RETURN QUERY SELECT \'tpm\'::text, gateway_retry_ms(w.prev_tokens, used - p_tpm + 1, elapsed), NULL::timestamptz, 0, 0, 0, 0::numeric\073
        RETURN\073
      END IF\073
      g_tokens := greatest(p_tokens_need, least(p_tokens_want, floor((p_tpm - used) / 10)::int))\073
    END IF\073
    IF p_parallel IS NOT NULL AND p_slots_want > 0 THEN
      SELECT coalesce(sum(l.slots), 0) INTO running FROM gateway_leases l
       WHERE l.gateway_key_id = p_key AND l.expires_at > now_ts\073
      IF running >= p_parallel THEN
        RETURN QUERY SELECT \'parallel\'::text, 1000, NULL::timestamptz, 0, 0, 0, 0::numeric\073
        RETURN\073
      END IF\073
      g_slots := least(p_slots_want, p_parallel - running)\073
    END IF\073
  END IF\073
  IF p_amount_need > 0 THEN
    FOR i IN 1 .. coalesce(array_length(p_scopes, 1), 0) LOOP
      INSERT INTO spend_counters (scope, month) VALUES (p_scopes[i], p_month) ON CONFLICT DO NOTHING\073
      SELECT cost_sum INTO spent FROM spend_counters WHERE scope = p_scopes[i] AND month = p_month FOR UPDATE\073
      IF p_limits[i] IS NOT NULL THEN
        SELECT coalesce(sum(l.amount), 0) INTO reserved FROM gateway_leases l
         WHERE l.scopes @> ARRAY[p_scopes[i]] AND l.month = p_month AND l.expires_at > now_ts\073
        IF spent + reserved >= p_limits[i] THEN
          RETURN QUERY SELECT (\'budget:\' || p_scopes[i])::text,
            least(2147483647, ceil(extract(epoch FROM (date_trunc(\'month\', now_ts AT TIME ZONE \'UTC\') + interval \'1 month\') AT TIME ZONE \'UTC\' - now_ts) * 1000))::int,
            NULL::timestamptz, 0, 0, 0, 0::numeric\073
          RETURN\073
        END IF\073
        room := least(coalesce(room, p_limits[i] - spent - reserved), p_limits[i] - spent - reserved)\073
      END IF\073
    END LOOP\073
    g_amount := greatest(p_amount_need, least(p_amount_want, coalesce(room / 10, p_amount_want)))\073
  END IF\073
  INSERT INTO gateway_leases AS l (id, gateway_key_id, scopes, month, amount, slots, expires_at)
  VALUES (p_lease, p_key, p_scopes, p_month, g_amount, g_slots, now_ts + make_interval(secs => p_ttl_ms / 1000.0))
  ON CONFLICT (id) DO UPDATE SET amount = l.amount + EXCLUDED.amount, slots = l.slots + EXCLUDED.slots, expires_at = EXCLUDED.expires_at\073
  IF windowed THEN
    UPDATE gateway_key_windows SET window_start = w.window_start, requests = w.requests + g_requests, prev_requests = w.prev_requests,
      tokens = w.tokens + g_tokens, prev_tokens = w.prev_tokens
     WHERE gateway_key_id = p_key\073
  END IF\073
  RETURN QUERY SELECT NULL::text, 0, w.window_start, g_requests, g_tokens, g_slots, g_amount\073
END
';
