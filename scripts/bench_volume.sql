-- License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
-- A service centre's history for `scripts/bench --load --volume N` (psql -v n=N):
-- N past closed cases copied from a demo case, spread over two years and over the
-- demo's partners, 30 of them the load's owner's (pm_owner), each with its creation
-- message and its partner as follower, as the ORM would have left them. Marked by
-- the subject 'pm-volume'; scripts/bench removes them after the load.
BEGIN;

CREATE TEMP TABLE vol_partners AS
    SELECT id, row_number() OVER (ORDER BY id) AS k
      FROM res_partner
     WHERE active AND id NOT IN (SELECT partner_id FROM res_users);

CREATE TEMP TABLE vol AS
    SELECT c.*
      FROM pm_case c, generate_series(1, :n) AS g
     WHERE c.id = (SELECT min(id) FROM pm_case WHERE state = 'closed');

-- a row number per copy, kept while the columns are rewritten
ALTER TABLE vol ADD COLUMN vol_k integer;
UPDATE vol SET vol_k = sub.k
  FROM (SELECT ctid AS row_ctid, row_number() OVER () AS k FROM vol) AS sub
 WHERE vol.ctid = sub.row_ctid;

UPDATE vol SET
    id = nextval('pm_case_id_seq'),
    subject = 'pm-volume',
    portal_submit_key = NULL,
    access_token = md5(random()::text || vol_k::text),
    partner_id = CASE
        WHEN vol_k <= 30 THEN (SELECT partner_id FROM res_users WHERE login = 'pm_owner')
        ELSE (SELECT id FROM vol_partners
               WHERE k = 1 + vol_k % (SELECT count(*) FROM vol_partners))
    END,
    intake_date = now() AT TIME ZONE 'UTC' - (vol_k % 730) * interval '1 day',
    create_date = now() AT TIME ZONE 'UTC' - (vol_k % 730) * interval '1 day',
    write_date = now() AT TIME ZONE 'UTC' - (vol_k % 730) * interval '1 day'
        + interval '3 days';
UPDATE vol SET name = 'VOL-' || id;
ALTER TABLE vol DROP COLUMN vol_k;

INSERT INTO pm_case SELECT * FROM vol;

INSERT INTO mail_message (model, res_id, message_type, body, date, author_id,
                          subtype_id, record_name, create_uid, write_uid,
                          create_date, write_date)
SELECT 'pm.case', v.id, 'notification', '<p>pm-volume</p>', v.create_date,
       v.partner_id,
       (SELECT res_id FROM ir_model_data WHERE module = 'mail' AND name = 'mt_note'),
       v.name, 1, 1, v.create_date, v.create_date
  FROM vol v;

INSERT INTO mail_followers (res_model, res_id, partner_id)
SELECT 'pm.case', v.id, v.partner_id FROM vol v WHERE v.partner_id IS NOT NULL;

COMMIT;
-- as autovacuum leaves a table in steady state (no dead rows of an earlier run)
VACUUM ANALYZE pm_case;
VACUUM ANALYZE mail_message;
VACUUM ANALYZE mail_followers;
