-- roles.sql — the three roles around the zhongfu warehouse.  Run as a superuser (or a role with
-- CREATEROLE) in the warehouse database AFTER `zhongfu db migrate`:
--
--   psql -v ON_ERROR_STOP=1 -d warehouse -f sql/roles.sql
--
-- then give the login roles passwords (or map them in pg_hba.conf / pg_ident.conf) — never put
-- passwords into this file or into a conninfo in the templates; use ~/.pgpass or a service file.
--
--   zf_loader    writes the warehouse: `zhongfu db migrate` and `zhongfu run --store`.  It owns the
--                tables it creates (the rec_<source> record tables are created at run time).
--   zf_analyst   reads runs, inputs, results, rejects (masked) and verdicts — NOT the record
--                tables, which hold unmasked personal data (身份证号, 户编号).
--   zf_dept_ro   the read-only role a department grants to zhongfu for a `kind: postgres`
--                source; created here as a template — run its part in the department's database.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zf_loader') THEN
        CREATE ROLE zf_loader LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zf_analyst') THEN
        CREATE ROLE zf_analyst LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zf_dept_ro') THEN
        CREATE ROLE zf_dept_ro LOGIN;
    END IF;
END $$;

-- ---- the loader ----------------------------------------------------------------------------
DO $$
BEGIN
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO zf_loader', current_database());
END $$;
GRANT USAGE, CREATE ON SCHEMA public TO zf_loader;
GRANT SELECT, INSERT, UPDATE, DELETE ON
    schema_version, plans, plan_indicators, plan_sources, runs, run_inputs, policy_verdicts,
    results, rejects
    TO zf_loader;
-- the record tables that already exist (made by migrate --plan under another role)
DO $$
DECLARE t text;
BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'rec\_%'
    LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO zf_loader', t);
    END LOOP;
END $$;

-- ---- the analyst: read-only, no personal data -----------------------------------------------
DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO zf_analyst', current_database());
END $$;
GRANT USAGE ON SCHEMA public TO zf_analyst;
GRANT SELECT ON
    schema_version, plans, plan_indicators, plan_sources, runs, run_inputs, policy_verdicts,
    results, rejects
    TO zf_analyst;
ALTER ROLE zf_analyst SET default_transaction_read_only = on;
-- Record tables are deliberately not granted.  To let an auditor read them, grant one table at a
-- time:  GRANT SELECT ON rec_medical_settlements TO some_auditor;

-- ---- a department's source: read-only on the exported view ----------------------------------
-- Run in the DEPARTMENT's database (shown here for a view yibao.settlements_export):
--
--   GRANT CONNECT ON DATABASE yibao TO zf_dept_ro;
--   GRANT USAGE ON SCHEMA yibao TO zf_dept_ro;
--   GRANT SELECT ON yibao.settlements_export TO zf_dept_ro;
--   ALTER ROLE zf_dept_ro SET default_transaction_read_only = on;
--   ALTER ROLE zf_dept_ro SET statement_timeout = '30min';
--
-- zhongfu also opens every source session READ ONLY, so a query cannot write even by mistake.
ALTER ROLE zf_dept_ro SET default_transaction_read_only = on;
