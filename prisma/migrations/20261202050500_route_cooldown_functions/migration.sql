-- Route target cooldowns, shared by every gateway instance (lib/gateway/cooldowns.ts).
-- The Prisma engine splits migrations on every semicolon, even inside dollar quotes, so function
-- bodies are E'' strings with \073 for each semicolon.

-- May this request try the target? 'ok' (closed), 'probe' (its cooldown is over and this caller
-- won the one half-open probe), or 'skip' (cooling down, or another caller is probing it).
CREATE FUNCTION gateway_target_claim(p_key text, p_probe_ms int) RETURNS text LANGUAGE plpgsql AS E'
DECLARE
  c target_cooldowns%ROWTYPE\073
  now_ts timestamptz := clock_timestamp()\073
BEGIN
  SELECT * INTO c FROM target_cooldowns WHERE target_key = p_key FOR UPDATE\073
  IF NOT FOUND OR c.open_until IS NULL THEN RETURN \'ok\'\073 END IF\073
  IF c.open_until > now_ts THEN RETURN \'skip\'\073 END IF\073
  IF c.probe_until IS NOT NULL AND c.probe_until > now_ts THEN RETURN \'skip\'\073 END IF\073
  UPDATE target_cooldowns SET probe_until = now_ts + make_interval(secs => p_probe_ms / 1000.0), updated_at = now_ts
   WHERE target_key = p_key\073
  RETURN \'probe\'\073
END
';

-- An attempt's result. Success closes the target. A failure counts, and at the threshold, or when a
-- half-open probe fails, the target opens for the cooldown. Opening notifies every instance at once
-- (channel gateway_cooldown) so none keeps sending to a dead target until its next refresh.
CREATE FUNCTION gateway_target_result(
  p_key text, p_provider uuid, p_model uuid, p_ok boolean, p_threshold int, p_cooldown_ms int, p_error text
) RETURNS TABLE (failures int, open_until timestamptz) LANGUAGE plpgsql AS E'
DECLARE
  c target_cooldowns%ROWTYPE\073
  now_ts timestamptz := clock_timestamp()\073
  was_probe boolean\073
BEGIN
  IF p_ok THEN
    UPDATE target_cooldowns t SET failures = 0, open_until = NULL, probe_until = NULL, updated_at = now_ts
     WHERE t.target_key = p_key AND (t.failures > 0 OR t.open_until IS NOT NULL)\073
    RETURN QUERY SELECT 0, NULL::timestamptz\073
    RETURN\073
  END IF\073
  INSERT INTO target_cooldowns (target_key, provider_id, model_id) VALUES (p_key, p_provider, p_model) ON CONFLICT DO NOTHING\073
  SELECT * INTO c FROM target_cooldowns t WHERE t.target_key = p_key FOR UPDATE\073
  was_probe := c.open_until IS NOT NULL AND c.open_until <= now_ts\073
  c.failures := c.failures + 1\073
  IF was_probe OR (c.open_until IS NULL AND c.failures >= p_threshold) THEN
    c.open_until := now_ts + make_interval(secs => p_cooldown_ms / 1000.0)\073
    c.probe_until := NULL\073
    PERFORM pg_notify(\'gateway_cooldown\', p_key)\073
  END IF\073
  UPDATE target_cooldowns t SET failures = c.failures, open_until = c.open_until, probe_until = c.probe_until,
    last_error_class = p_error, updated_at = now_ts
   WHERE t.target_key = p_key\073
  RETURN QUERY SELECT c.failures, c.open_until\073
END
';

-- Fix: a budget refusal's Retry-After (milliseconds to the month's end) overflowed int4 with more
-- than 24.8 days of the month left, turning the 429 into an error. Capped now.
CREATE OR REPLACE FUNCTION gateway_admit(
  p_lease uuid, p_key uuid, p_month date, p_scopes text[], p_limits numeric[], p_amount numeric,
  p_rpm int, p_tpm int, p_tokens int, p_parallel int, p_ttl_ms int, p_key_limits boolean
) RETURNS TABLE (reason text, retry_after_ms int) LANGUAGE plpgsql AS E'
DECLARE
  w gateway_key_windows%ROWTYPE\073
  now_ts timestamptz := clock_timestamp()\073
  minute_start timestamptz := date_trunc(\'minute\', clock_timestamp())\073
  elapsed double precision\073
  running int\073
  spent numeric\073
  reserved numeric\073
  i int\073
BEGIN
  IF p_key_limits THEN
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
    IF p_rpm IS NOT NULL AND w.prev_requests * (1 - elapsed) + w.requests + 1 > p_rpm THEN
      RETURN QUERY SELECT \'rpm\'::text, gateway_retry_ms(w.prev_requests, w.prev_requests * (1 - elapsed) + w.requests + 1 - p_rpm, elapsed)\073
      RETURN\073
    END IF\073
    IF p_tpm IS NOT NULL AND w.prev_tokens * (1 - elapsed) + w.tokens >= p_tpm THEN
      RETURN QUERY SELECT \'tpm\'::text, gateway_retry_ms(w.prev_tokens, w.prev_tokens * (1 - elapsed) + w.tokens - p_tpm + 1, elapsed)\073
      RETURN\073
    END IF\073
    IF p_parallel IS NOT NULL THEN
      SELECT count(*) INTO running FROM gateway_leases
       WHERE gateway_key_id = p_key AND inflight AND expires_at > now_ts\073
      IF running >= p_parallel THEN
        RETURN QUERY SELECT \'parallel\'::text, 1000\073
        RETURN\073
      END IF\073
    END IF\073
  END IF\073
  FOR i IN 1 .. coalesce(array_length(p_scopes, 1), 0) LOOP
    INSERT INTO spend_counters (scope, month) VALUES (p_scopes[i], p_month) ON CONFLICT DO NOTHING\073
    SELECT cost_sum INTO spent FROM spend_counters WHERE scope = p_scopes[i] AND month = p_month FOR UPDATE\073
    IF p_limits[i] IS NOT NULL THEN
      SELECT coalesce(sum(amount), 0) INTO reserved FROM gateway_leases
       WHERE scopes @> ARRAY[p_scopes[i]] AND month = p_month AND expires_at > now_ts\073
      IF spent + reserved >= p_limits[i] THEN
        RETURN QUERY SELECT (\'budget:\' || p_scopes[i])::text,
          least(2147483647, ceil(extract(epoch FROM (date_trunc(\'month\', now_ts AT TIME ZONE \'UTC\') + interval \'1 month\') AT TIME ZONE \'UTC\' - now_ts) * 1000))::int\073
        RETURN\073
      END IF\073
    END IF\073
  END LOOP\073
  INSERT INTO gateway_leases (id, gateway_key_id, scopes, month, amount, expires_at)
  VALUES (p_lease, p_key, p_scopes, p_month, p_amount, now_ts + make_interval(secs => p_ttl_ms / 1000.0))\073
  IF p_key_limits THEN
    UPDATE gateway_key_windows SET window_start = w.window_start, requests = w.requests + 1, prev_requests = w.prev_requests,
      tokens = w.tokens + p_tokens, prev_tokens = w.prev_tokens
     WHERE gateway_key_id = p_key\073
  END IF\073
  RETURN QUERY SELECT NULL::text, 0\073
END
';

-- Fix: derived slugs are cut to 40 characters before dashes are trimmed, and a -N suffix keeps
-- the whole within 40, so a derived slug always passes the edit form's rule.
CREATE OR REPLACE FUNCTION provider_default_slug() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  base text\073
  candidate text\073
  n int := 1\073
BEGIN
  IF NEW.slug IS NULL OR NEW.slug = \'\' THEN
    base := coalesce(nullif(trim(both \'-\' from left(regexp_replace(lower(NEW.name), \'[^a-z0-9]+\', \'-\', \'g\'), 40)), \'\'), \'provider\')\073
    candidate := base\073
    WHILE EXISTS (SELECT 1 FROM providers WHERE slug = candidate) LOOP
      n := n + 1\073
      candidate := trim(both \'-\' from left(base, 39 - length(n::text))) || \'-\' || n\073
    END LOOP\073
    NEW.slug := candidate\073
  END IF\073
  RETURN NEW\073
END
';
