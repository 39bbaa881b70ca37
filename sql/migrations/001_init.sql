-- 001_init.sql — the warehouse of zhongfu runs.
--
-- Applied by `zhongfu db migrate`, which wraps this file in one transaction and records it in
-- schema_version; do not put BEGIN/COMMIT here.  Never edit a migration that has been applied
-- anywhere: add 002_….sql instead (migrate refuses a changed file).
--
-- Citus: every table carries run_id (results, rejects, the rec_<source> record tables: the
-- distribution column) or plan (the definitions: reference tables), and every primary key
-- includes it.  See docs/warehouse.md.

-- ---- definitions (small; reference tables on Citus) ---------------------------------------

CREATE TABLE plans (
    plan          text        NOT NULL,
    plan_sha256   text        NOT NULL,   -- of the plan, source and region definitions
    title         text        NOT NULL,
    source_set    text        NOT NULL,
    region_tree   text        NOT NULL,
    years         integer[]   NOT NULL,
    first_stored  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plan, plan_sha256)
);

CREATE TABLE plan_indicators (
    plan          text    NOT NULL,
    plan_sha256   text    NOT NULL,
    indicator     integer NOT NULL,       -- the number in the plan (1–27 for Yuyao)
    category      text    NOT NULL DEFAULT '',
    name          text    NOT NULL,
    gloss         text    NOT NULL DEFAULT '',
    units         text    NOT NULL DEFAULT '',   -- responsible units, joined with 、
    parts         text[]  NOT NULL DEFAULT '{}',
    PRIMARY KEY (plan, plan_sha256, indicator),
    FOREIGN KEY (plan, plan_sha256) REFERENCES plans (plan, plan_sha256)
);

CREATE TABLE plan_sources (
    plan          text  NOT NULL,
    plan_sha256   text  NOT NULL,
    source        text  NOT NULL,
    title         text  NOT NULL,
    unit          text  NOT NULL,
    kind          text  NOT NULL,          -- file | postgres
    record_table  text  NOT NULL,          -- rec_<source>
    columns       jsonb NOT NULL,          -- [{"name":…, "type":…, "required":…, "personal":…}]
    PRIMARY KEY (plan, plan_sha256, source),
    FOREIGN KEY (plan, plan_sha256) REFERENCES plans (plan, plan_sha256)
);

-- ---- runs (one row per run, one per input file: reference tables on Citus) ---------------

CREATE TABLE runs (
    run_id        text        NOT NULL PRIMARY KEY,   -- 16 hex digits of the run's content
    plan          text        NOT NULL,
    plan_sha256   text        NOT NULL,
    as_of         date        NOT NULL,
    years         integer[]   NOT NULL,               -- the plan years computed
    version       text        NOT NULL,               -- zhongfu version
    status        text        NOT NULL CHECK (status IN ('complete', 'incomplete')),
    top_region    text        NOT NULL,               -- the plan's top region (余姚市)
    rows_read     bigint      NOT NULL,
    rows_accepted bigint      NOT NULL,
    rows_rejected bigint      NOT NULL,
    orphans       bigint      NOT NULL,
    manifest      jsonb,                              -- manifest.json as published
    first_stored  timestamptz NOT NULL DEFAULT now(), -- kept when the same run is stored again
    stored_at     timestamptz NOT NULL DEFAULT now(),
    stored_by     text        NOT NULL DEFAULT current_user,
    stores        integer     NOT NULL DEFAULT 1,     -- how many times this run was stored
    FOREIGN KEY (plan, plan_sha256) REFERENCES plans (plan, plan_sha256)
);
CREATE INDEX runs_plan_as_of ON runs (plan, as_of, first_stored);

CREATE TABLE run_inputs (
    run_id        text    NOT NULL REFERENCES runs (run_id),
    source        text    NOT NULL,
    file          text    NOT NULL,   -- relative to --data; postgres:<source>; '' = no file
    sha256        text    NOT NULL,   -- '' when missing
    size          bigint  NOT NULL,
    format        text    NOT NULL,   -- csv xlsx json jsonl postgres ''
    encoding      text    NOT NULL,
    rows_read     bigint  NOT NULL,
    rows_accepted bigint  NOT NULL,
    rows_rejected bigint  NOT NULL,
    orphans       bigint  NOT NULL,
    reasons       jsonb   NOT NULL,   -- {"bad_date": 3, …}
    status        text    NOT NULL,   -- ok rejects missing_column error missing
    message       text    NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, source, file)
);

CREATE TABLE policy_verdicts (
    run_id        text    NOT NULL REFERENCES runs (run_id),
    policy        text    NOT NULL,
    year          integer NOT NULL,
    title         text    NOT NULL,
    a             numeric,
    b             numeric,            -- already multiplied by the rule's factor
    verdict       text    NOT NULL CHECK (verdict IN ('pass', 'fail', 'no_data')),
    PRIMARY KEY (run_id, policy, year)
);

-- ---- what a run computed and rejected (distributed by run_id on Citus) --------------------

-- Every column of results.csv, in its order; seq is the row's place in results.csv.
CREATE TABLE results (
    run_id        text    NOT NULL REFERENCES runs (run_id),
    seq           integer NOT NULL,
    plan          text    NOT NULL,
    indicator     integer NOT NULL,
    part          text    NOT NULL DEFAULT '',
    year          integer NOT NULL,
    region        text    NOT NULL,
    numerator     numeric,            -- numeric keeps the scale: 1234.50 stays 1234.50
    denominator   numeric,
    value         text    NOT NULL DEFAULT '',   -- exactly as in results.csv (a rate, an amount, a count or 实现)
    target        text    NOT NULL DEFAULT '',
    status        text    NOT NULL DEFAULT '',   -- 达标 未达标 无数据 进行中 or ''
    value_numeric numeric GENERATED ALWAYS AS
                  (CASE WHEN value ~ '^-?[0-9]+(\.[0-9]+)?$' THEN value::numeric END) STORED,
    PRIMARY KEY (run_id, seq),
    UNIQUE (run_id, indicator, part, year, region)
);
CREATE INDEX results_indicator ON results (indicator, year, region);

-- rejects.csv (values of personal columns are masked there, and so here).
CREATE TABLE rejects (
    run_id        text    NOT NULL REFERENCES runs (run_id),
    seq           bigint  NOT NULL,
    source        text    NOT NULL,
    file          text    NOT NULL,
    line          bigint  NOT NULL,
    column_name   text    NOT NULL,
    value         text    NOT NULL DEFAULT '',
    reason        text    NOT NULL,
    PRIMARY KEY (run_id, seq)
);

-- The accepted records of source S are in rec_S (run_id, rec_no, one typed column per source
-- column, named as in the definition; primary key (run_id, rec_no)).  Those tables are made from
-- the definitions by `zhongfu db migrate --plan P` or by the first `zhongfu run --store` that
-- needs them.  They have no foreign key to runs: a per-row check would triple the load time of
-- large sources, and the single writing transaction already keeps them whole.
