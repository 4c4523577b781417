-- AlterTable
ALTER TABLE "provider_keys" ADD COLUMN     "bound_origin" TEXT,
ADD COLUMN     "last_test_detail" TEXT;


-- Keys stored before binding existed are bound to the host their provider points at now: that is
-- the host they have been sent to. NULL (no provider URL to read) leaves a key unusable until rebound.
UPDATE "provider_keys" k
   SET "bound_origin" = lower(substring(p."base_url" from '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+'))
  FROM "providers" p
 WHERE p."id" = k."provider_id";

-- A key inserted without an origin (scripts, fixtures) is bound to its provider's host at that
-- moment, the same rule the add-key action applies. (\073 stands for a semicolon: the migration runner splits on every one.)
CREATE FUNCTION provider_keys_bind_origin() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  SELECT lower(substring(base_url from ''^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+'')) INTO NEW.bound_origin FROM providers WHERE id = NEW.provider_id\073
  RETURN NEW\073
END';

CREATE TRIGGER provider_keys_bind_origin BEFORE INSERT ON "provider_keys"
  FOR EACH ROW WHEN (NEW."bound_origin" IS NULL) EXECUTE FUNCTION provider_keys_bind_origin();
