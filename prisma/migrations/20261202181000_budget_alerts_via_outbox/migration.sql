-- Budget thresholds are announced through the notification outbox (its unique dedupe key makes each
-- fire once per month), so the budgets' own record of the last announced level is no longer used.
ALTER TABLE "budgets" DROP COLUMN "alerted_month",
DROP COLUMN "alerted_level";
